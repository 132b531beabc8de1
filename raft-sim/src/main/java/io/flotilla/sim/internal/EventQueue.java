package io.flotilla.sim.internal;

import java.util.PriorityQueue;

/**
 * The simulator's single source of time: a discrete-event queue ordered by (virtual time, sequence number), so
 * events at the same instant run in the order they were scheduled and a run is a pure function of its seed.
 *
 * <p><b>Threading:</b> not thread-safe; the whole simulation runs on the thread that calls {@link #runNext()}.
 */
public final class EventQueue {

    /** A scheduled event. */
    private record Event(long time, long seq, Runnable action) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            int c = Long.compare(time, o.time);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private long now;
    private long nextSeq;
    private long executed;
    private long traceHash = 0x9E3779B97F4A7C15L;

    /** @return the current virtual time in nanoseconds */
    public long now() {
        return now;
    }

    /** @return the number of events run so far */
    public long executed() {
        return executed;
    }

    /** @return a hash of the (time, sequence) of every event run so far, plus anything {@link #mix mixed} in */
    public long traceHash() {
        return traceHash;
    }

    /**
     * Mixes a value into the trace hash (e.g. a client result), so replays can be compared.
     *
     * @param value the value
     */
    public void mix(long value) {
        traceHash = Hashing.mix(traceHash, value);
    }

    /**
     * Schedules an action.
     *
     * @param delayNanos how far in the future, at least 0
     * @param action what to run
     */
    public void schedule(long delayNanos, Runnable action) {
        if (delayNanos < 0) {
            throw new IllegalArgumentException("negative delay " + delayNanos);
        }
        queue.add(new Event(now + delayNanos, nextSeq++, action));
    }

    /** @return the time of the next event, or {@link Long#MAX_VALUE} if none */
    public long nextTime() {
        Event e = queue.peek();
        return e == null ? Long.MAX_VALUE : e.time;
    }

    /** @return whether no event is pending */
    public boolean isEmpty() {
        return queue.isEmpty();
    }

    /**
     * Runs the earliest event, advancing virtual time to it.
     *
     * @return false if there was no event
     */
    public boolean runNext() {
        Event e = queue.poll();
        if (e == null) {
            return false;
        }
        now = e.time;
        executed++;
        traceHash = Hashing.mix(Hashing.mix(traceHash, e.time), e.seq);
        e.action.run();
        return true;
    }

    /**
     * Advances time to {@code time} without running anything (only when no event is due before it).
     *
     * @param time the new time
     */
    public void advanceTo(long time) {
        if (time < now || time > nextTime()) {
            throw new IllegalStateException("cannot advance from " + now + " to " + time + "; next event at "
                    + nextTime());
        }
        now = time;
    }
}
