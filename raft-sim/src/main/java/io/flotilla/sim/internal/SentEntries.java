package io.flotilla.sim.internal;

import io.flotilla.LogEntry;
import io.flotilla.message.AppendEntriesRequest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * What the leader of each term sent in its AppendEntries, per index: the entry's term and a hash of its kind and
 * payload, and the {@code prevLogTerm} it claimed. A leader never overwrites or deletes entries in its log
 * (Leader Append-Only, paper Figure 3), so within one term every message must agree with every earlier one at
 * every index it covers. Election Safety (one sender per term) is checked separately.
 *
 * <p><b>Threading:</b> confined to the simulation thread.
 */
final class SentEntries {
    /** One term's view of its leader's log; 0 means "nothing seen at this index". */
    private static final class TermLog {
        long[] terms = new long[64];
        long[] hashes = new long[64];

        void ensure(long index) {
            if (index >= terms.length) {
                int n = (int) Math.max(index + 1, terms.length * 2L);
                terms = Arrays.copyOf(terms, n);
                hashes = Arrays.copyOf(hashes, n);
            }
        }
    }

    private final Map<Long, TermLog> byTerm = new HashMap<>();

    /**
     * Records a sent AppendEntries and compares it with what the same term's leader sent before.
     *
     * @param ae the message
     * @return null, or what differs from an earlier message of the term
     */
    String check(AppendEntriesRequest ae) {
        if (ae.entries().isEmpty() && ae.prevLogIndex() == 0) {
            return null;
        }
        TermLog log = byTerm.computeIfAbsent(ae.term(), t -> new TermLog());
        log.ensure(ae.lastIndex());
        long prev = ae.prevLogIndex();
        if (prev > 0) {
            long seen = log.terms[(int) prev];
            if (seen != 0 && seen != ae.prevLogTerm()) {
                return "index " + prev + " has term " + ae.prevLogTerm() + " in this message's prevLogTerm but term "
                        + seen + " in an earlier message of the same term";
            }
            log.terms[(int) prev] = ae.prevLogTerm();
        }
        for (LogEntry e : ae.entries()) {
            int i = (int) e.index();
            long h = Hashing.mix(Hashing.hash(e.payload()), e.kind().ordinal()) | 1;
            long seenTerm = log.terms[i];
            long seenHash = log.hashes[i];
            if ((seenTerm != 0 && seenTerm != e.term()) || (seenHash != 0 && seenHash != h)) {
                return "index " + i + " carries a " + e.kind() + " entry of term " + e.term()
                        + " but an earlier message of the same term carried " + (seenHash != 0 && seenHash != h
                                ? "another entry (term " + seenTerm + ")" : "term " + seenTerm) + " there";
            }
            log.terms[i] = e.term();
            log.hashes[i] = h;
        }
        return null;
    }
}
