package io.flotilla.sim.internal;

import io.flotilla.Bytes;
import io.flotilla.IndeterminateStateException;
import io.flotilla.NodeId;
import io.flotilla.NotLeaderException;
import io.flotilla.ProposalResult;
import io.flotilla.RaftException;
import io.flotilla.RaftNode;
import io.flotilla.sim.linearizability.KvInput;
import io.flotilla.sim.linearizability.KvOutput;
import io.flotilla.sim.linearizability.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Clients of the simulated KV store. Each client issues one operation at a time — put with a unique value,
 * linearizable get ({@code RaftNode.read}) or compare-and-set — and records it for the linearizability check.
 * A refusal that is safe to retry ({@link NotLeaderException} and the like) is retried at the hinted leader or
 * another node until the operation's deadline; a timeout or {@link IndeterminateStateException} records the
 * operation as unknown (it may or may not take effect).
 *
 * <p><b>Threading:</b> confined to the simulation thread; futures' callbacks are turned into events.
 */
public final class Workload {
    private final EventQueue queue;
    private final SimCluster cluster;
    private final SplittableRandom random;
    private final int keys;
    private final long opTimeoutNanos;
    private final List<Operation<KvInput, KvOutput>> history = new ArrayList<>();
    private final String[] lastKnown;
    private int nextOpId;
    private int valueSeq;
    private boolean stopped;
    private int outstanding;

    /**
     * Creates the workload.
     *
     * @param queue the event queue
     * @param cluster the cluster
     * @param random the workload's generator
     * @param keys distinct keys
     * @param opTimeoutNanos per-operation deadline
     */
    public Workload(EventQueue queue, SimCluster cluster, SplittableRandom random, int keys, long opTimeoutNanos) {
        this.queue = queue;
        this.cluster = cluster;
        this.random = random;
        this.keys = keys;
        this.opTimeoutNanos = opTimeoutNanos;
        this.lastKnown = new String[keys];
    }

    /**
     * Starts clients.
     *
     * @param clients how many
     */
    public void start(int clients) {
        for (int c = 0; c < clients; c++) {
            Client client = new Client(c);
            queue.schedule(random.nextLong(50_000_000L), client::next);
        }
    }

    /** Stops issuing new operations; outstanding ones still complete or time out. */
    public void stop() {
        stopped = true;
    }

    /** @return operations still in progress */
    public int outstanding() {
        return outstanding;
    }

    /** @return the recorded history */
    public List<Operation<KvInput, KvOutput>> history() {
        return history;
    }

    /** One sequential client. */
    private final class Client {
        private final int id;
        private NodeId target;
        private KvInput input;
        private long invokedAt;
        private long deadline;
        private int attempt;
        private boolean ambiguous;
        private boolean done = true;
        private int currentOpId = -1;

        Client(int id) {
            this.id = id;
            this.target = cluster.ids().get(random.nextInt(cluster.ids().size()));
        }

        void next() {
            if (stopped) {
                return;
            }
            int k = random.nextInt(keys);
            String key = "k" + k;
            int kind = random.nextInt(10);
            if (kind < 4) {
                input = new KvInput.Put(key, "c" + id + "-" + valueSeq++);
            } else if (kind < 8) {
                input = new KvInput.Get(key);
            } else {
                Optional<String> expected = random.nextInt(4) == 0 ? Optional.empty()
                        : Optional.ofNullable(lastKnown[k]);
                input = new KvInput.Cas(key, expected, "c" + id + "-" + valueSeq++);
            }
            invokedAt = queue.now();
            deadline = invokedAt + opTimeoutNanos;
            ambiguous = false;
            done = false;
            outstanding++;
            int opId = nextOpId++;
            currentOpId = opId;
            queue.schedule(opTimeoutNanos, () -> onDeadline(opId));
            send(opId);
        }

        private void send(int opId) {
            Optional<RaftNode> node = cluster.node(target);
            if (node.isEmpty()) {
                retryElsewhere(opId, Optional.empty());
                return;
            }
            int thisAttempt = ++attempt;
            CompletableFuture<?> f;
            Bytes encoded = KvStateMachine.encode(input);
            try {
                f = input instanceof KvInput.Get ? node.get().read(encoded) : node.get().propose(encoded);
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            if (!(input instanceof KvInput.Get)) {
                ambiguous = true; // until the attempt is answered with a definite refusal
            }
            f.whenComplete((r, e) -> queue.schedule(0, () -> onAnswer(opId, thisAttempt, r, e)));
        }

        private void onAnswer(int opId, int thisAttempt, Object result, Throwable error) {
            if (done || opId != currentOpId || thisAttempt != attempt) {
                return;
            }
            if (error == null) {
                finish(opId, Operation.ok(opId, id, input, output(result), invokedAt, queue.now()));
                return;
            }
            Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (e instanceof IndeterminateStateException) {
                finish(opId, Operation.unknown(opId, id, input, invokedAt));
            } else if (e instanceof RaftException re && re.isRetrySafe()) {
                ambiguous = false;
                Optional<NodeId> hint = e instanceof NotLeaderException nle ? nle.leaderHint() : Optional.empty();
                retryElsewhere(opId, hint);
            } else if (input instanceof KvInput.Get) {
                retryElsewhere(opId, Optional.empty()); // reads have no effect; try another node
            } else {
                // Stopped, failed node or anything else: the command may have been appended.
                finish(opId, Operation.unknown(opId, id, input, invokedAt));
            }
        }


        private void retryElsewhere(int opId, Optional<NodeId> hint) {
            if (hint.isPresent() && !hint.get().equals(target)) {
                target = hint.get();
            } else {
                target = cluster.ids().get(random.nextInt(cluster.ids().size()));
            }
            long backoff = 1_000_000L + random.nextLong(hint.isPresent() ? 2_000_000L : 20_000_000L);
            if (queue.now() + backoff >= deadline) {
                return; // the deadline event records the outcome
            }
            queue.schedule(backoff, () -> {
                if (!done && opId == currentOpId) {
                    send(opId);
                }
            });
        }

        private void onDeadline(int opId) {
            if (done || opId != currentOpId) {
                return;
            }
            finish(opId, ambiguous ? Operation.unknown(opId, id, input, invokedAt)
                    : Operation.failed(opId, id, input, invokedAt));
        }

        private void finish(int opId, Operation<KvInput, KvOutput> op) {
            done = true;
            outstanding--;
            history.add(op);
            queue.mix(Hashing.mix(opId, op.status().ordinal()));
            if (op.isOk()) {
                queue.mix(op.output().hashCode());
                KvInput in = op.input();
                int k = Integer.parseInt(in.key().substring(1));
                if (in instanceof KvInput.Put p) {
                    lastKnown[k] = p.value();
                } else if (op.output() instanceof KvOutput.Read r) {
                    lastKnown[k] = r.value().orElse(null);
                } else if (in instanceof KvInput.Cas c && ((KvOutput.Swapped) op.output()).swapped()) {
                    lastKnown[k] = c.newValue();
                }
            }
            queue.schedule(random.nextLong(5_000_000L), this::next);
        }

        private KvOutput output(Object result) {
            if (input instanceof KvInput.Get) {
                return new KvOutput.Read(KvStateMachine.decodeValue((Bytes) result));
            }
            if (input instanceof KvInput.Put) {
                return KvOutput.WRITTEN;
            }
            return new KvOutput.Swapped(KvStateMachine.decodeSwapped(((ProposalResult) result).value()));
        }
    }
}
