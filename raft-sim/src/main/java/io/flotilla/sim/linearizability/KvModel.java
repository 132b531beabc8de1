package io.flotilla.sim.linearizability;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A map of independent registers with put, get and compare-and-set, partitioned per key. The state of one
 * partition is the register's value ({@code Optional.empty()} while absent).
 *
 * <p>Stateless and thread-safe; use {@link #INSTANCE}.
 */
public final class KvModel implements Model<Optional<String>, KvInput, KvOutput> {

    /** The model. */
    public static final KvModel INSTANCE = new KvModel();

    private KvModel() {}

    @Override
    public Optional<String> init() {
        return Optional.empty();
    }

    @Override
    public Optional<Optional<String>> step(Optional<String> state, KvInput input, KvOutput output) {
        if (input instanceof KvInput.Put put) {
            if (output != null && !(output instanceof KvOutput.Written)) {
                return Optional.empty();
            }
            return Optional.of(Optional.of(put.value()));
        }
        if (input instanceof KvInput.Get) {
            if (output == null) {
                return Optional.of(state);
            }
            return output instanceof KvOutput.Read read && read.value().equals(state)
                    ? Optional.of(state) : Optional.empty();
        }
        KvInput.Cas cas = (KvInput.Cas) input;
        boolean matches = cas.expected().equals(state);
        if (output == null) {
            return Optional.of(matches ? Optional.of(cas.newValue()) : state);
        }
        if (!(output instanceof KvOutput.Swapped swapped) || swapped.swapped() != matches) {
            return Optional.empty();
        }
        return Optional.of(matches ? Optional.of(cas.newValue()) : state);
    }

    @Override
    public List<List<Operation<KvInput, KvOutput>>> partition(List<Operation<KvInput, KvOutput>> history) {
        Map<String, List<Operation<KvInput, KvOutput>>> byKey = new TreeMap<>();
        for (Operation<KvInput, KvOutput> op : history) {
            byKey.computeIfAbsent(op.input().key(), k -> new ArrayList<>()).add(op);
        }
        return new ArrayList<>(byKey.values());
    }

    /**
     * Drops unknown gets, and unknown puts and compare-and-sets whose written value no completed operation read
     * or expected (values are unique in the simulator's workloads).
     */
    @Override
    public List<Operation<KvInput, KvOutput>> withoutUnobservedUnknowns(List<Operation<KvInput, KvOutput>> history) {
        Set<String> observed = new HashSet<>();
        for (Operation<KvInput, KvOutput> op : history) {
            if (op.output() instanceof KvOutput.Read r) {
                r.value().ifPresent(observed::add);
            }
            if (op.input() instanceof KvInput.Cas c) {
                c.expected().ifPresent(observed::add);
            }
        }
        List<Operation<KvInput, KvOutput>> kept = new ArrayList<>(history.size());
        for (Operation<KvInput, KvOutput> op : history) {
            if (op.status() == Operation.Status.UNKNOWN) {
                KvInput in = op.input();
                String written = in instanceof KvInput.Put p ? p.value()
                        : in instanceof KvInput.Cas c ? c.newValue() : null;
                if (written == null || !observed.contains(written)) {
                    continue;
                }
            }
            kept.add(op);
        }
        return kept;
    }

    @Override
    public String describe(Optional<String> state) {
        return state.orElse("∅");
    }
}
