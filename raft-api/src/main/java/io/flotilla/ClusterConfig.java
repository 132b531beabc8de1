package io.flotilla;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The membership of a cluster: who votes, who only receives the log (learners), and where each member is
 * reached.
 *
 * <p>A configuration is either <em>simple</em> ({@link #outgoingVoters()} empty: decisions need a majority
 * of {@link #voters()}) or <em>joint</em> (thesis §4.3: decisions need a majority of {@code voters} and,
 * separately, a majority of {@code outgoingVoters}). Learners never count toward any quorum.
 *
 * <p>Sets iterate in {@link NodeId} order, so code that walks members is deterministic. A configuration travels
 * in {@link EntryKind#CONFIGURATION} log entries and in {@link SnapshotMeta}; {@link #toBytes()} and
 * {@link #fromBytes(Bytes)} are its stable encoding, shared by every store and transport.
 *
 * @param voters the voting members (the incoming set while joint); not empty
 * @param learners non-voting members that receive the log; disjoint from both voter sets
 * @param outgoingVoters the previous voters while a joint change is in progress, otherwise empty
 * @param addresses where to reach each member, one entry per member of any set (transport URIs such as
 *     {@code grpc://10.0.0.5:7000})
 */
public record ClusterConfig(
        SortedSet<NodeId> voters,
        SortedSet<NodeId> learners,
        SortedSet<NodeId> outgoingVoters,
        SortedMap<NodeId, URI> addresses) {

    private static final int FORMAT_VERSION = 1;
    private static final int MAX_MEMBERS = 10_000;

    /**
     * Validates and freezes the configuration.
     *
     * @param voters the voting members
     * @param learners the learners
     * @param outgoingVoters the outgoing voters of a joint configuration, or empty
     * @param addresses an address for every member
     * @throws IllegalArgumentException if there are no voters, a learner is also a voter, or a member has no
     *     address or an address names a non-member
     */
    public ClusterConfig {
        voters = Collections.unmodifiableSortedSet(new TreeSet<>(voters));
        learners = Collections.unmodifiableSortedSet(new TreeSet<>(learners));
        outgoingVoters = Collections.unmodifiableSortedSet(new TreeSet<>(outgoingVoters));
        addresses = Collections.unmodifiableSortedMap(new TreeMap<>(addresses));
        List<String> problems = new ArrayList<>();
        if (voters.isEmpty()) {
            problems.add("voters must not be empty");
        }
        for (NodeId learner : learners) {
            if (voters.contains(learner) || outgoingVoters.contains(learner)) {
                problems.add("learner " + learner + " is also a voter");
            }
        }
        TreeSet<NodeId> members = new TreeSet<>(voters);
        members.addAll(learners);
        members.addAll(outgoingVoters);
        for (NodeId m : members) {
            if (!addresses.containsKey(m)) {
                problems.add("member " + m + " has no address");
            }
        }
        for (NodeId a : addresses.keySet()) {
            if (!members.contains(a)) {
                problems.add("address given for non-member " + a);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid cluster configuration: " + String.join("; ", problems));
        }
    }

    /**
     * Returns a simple configuration of voters only.
     *
     * @param voterAddresses each voter and its address
     * @return the configuration
     * @throws IllegalArgumentException if the map is empty
     */
    public static ClusterConfig ofVoters(Map<NodeId, URI> voterAddresses) {
        return new ClusterConfig(new TreeSet<>(voterAddresses.keySet()), new TreeSet<>(), new TreeSet<>(),
                new TreeMap<>(voterAddresses));
    }

    /**
     * Returns whether a joint change is in progress.
     *
     * @return {@code true} if {@link #outgoingVoters()} is not empty
     */
    public boolean isJoint() {
        return !outgoingVoters.isEmpty();
    }

    /**
     * Returns every member: voters of both sets and learners.
     *
     * @return the members in id order
     */
    public SortedSet<NodeId> members() {
        TreeSet<NodeId> all = new TreeSet<>(voters);
        all.addAll(outgoingVoters);
        all.addAll(learners);
        return Collections.unmodifiableSortedSet(all);
    }

    /**
     * Returns whether a node votes in this configuration (in either set while joint).
     *
     * @param id the node
     * @return {@code true} if it is a voter
     */
    public boolean isVoter(NodeId id) {
        return voters.contains(id) || outgoingVoters.contains(id);
    }

    /**
     * Returns whether a node is a member in any role.
     *
     * @param id the node
     * @return {@code true} if it is a voter or a learner
     */
    public boolean contains(NodeId id) {
        return addresses.containsKey(id);
    }

    /**
     * Returns the stable binary encoding: a version byte, then each set and the addresses.
     *
     * @return the encoding
     */
    public Bytes toBytes() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(64 + 32 * addresses.size());
        try (DataOutputStream out = new DataOutputStream(buf)) {
            out.writeByte(FORMAT_VERSION);
            writeIds(out, voters);
            writeIds(out, learners);
            writeIds(out, outgoingVoters);
            out.writeInt(addresses.size());
            for (Map.Entry<NodeId, URI> e : addresses.entrySet()) {
                out.writeUTF(e.getKey().value());
                out.writeUTF(e.getValue().toString());
            }
        } catch (IOException e) {
            throw new AssertionError("in-memory stream failed", e);
        }
        return Bytes.unsafeWrap(buf.toByteArray());
    }

    /**
     * Decodes {@link #toBytes()}.
     *
     * @param bytes the encoding
     * @return the configuration
     * @throws IllegalArgumentException if the bytes are not a valid encoding (truncated, unknown version,
     *     absurd counts, invalid ids or addresses, trailing garbage)
     */
    public static ClusterConfig fromBytes(Bytes bytes) {
        try (DataInputStream in = new DataInputStream(bytes.newInputStream())) {
            int version = in.readUnsignedByte();
            if (version != FORMAT_VERSION) {
                throw new IllegalArgumentException("unknown cluster configuration format version " + version);
            }
            TreeSet<NodeId> voters = readIds(in);
            TreeSet<NodeId> learners = readIds(in);
            TreeSet<NodeId> outgoing = readIds(in);
            int n = checkCount(in.readInt());
            TreeMap<NodeId, URI> addresses = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                addresses.put(NodeId.of(in.readUTF()), new URI(in.readUTF()));
            }
            if (in.available() > 0) {
                throw new IllegalArgumentException("trailing bytes after cluster configuration");
            }
            return new ClusterConfig(voters, learners, outgoing, addresses);
        } catch (IOException | URISyntaxException e) {
            throw new IllegalArgumentException("malformed cluster configuration: " + e.getMessage(), e);
        }
    }

    private static void writeIds(DataOutputStream out, Set<NodeId> ids) throws IOException {
        out.writeInt(ids.size());
        for (NodeId id : ids) {
            out.writeUTF(id.value());
        }
    }

    private static TreeSet<NodeId> readIds(DataInputStream in) throws IOException {
        int n = checkCount(in.readInt());
        TreeSet<NodeId> ids = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            ids.add(NodeId.of(in.readUTF()));
        }
        return ids;
    }

    private static int checkCount(int n) {
        if (n < 0 || n > MAX_MEMBERS) {
            throw new IllegalArgumentException("member count out of range: " + n);
        }
        return n;
    }

    /**
     * Returns a new builder starting from this configuration, for membership changes.
     *
     * @return a builder holding a copy of this configuration
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.voters.addAll(voters);
        b.learners.addAll(learners);
        b.outgoingVoters.addAll(outgoingVoters);
        b.addresses.putAll(addresses);
        return b;
    }

    /**
     * Returns an empty builder.
     *
     * @return a builder
     */
    public static Builder newBuilder() {
        return new Builder();
    }

    /** Builds a {@link ClusterConfig}. Not thread-safe. */
    public static final class Builder {
        private final TreeSet<NodeId> voters = new TreeSet<>();
        private final TreeSet<NodeId> learners = new TreeSet<>();
        private final TreeSet<NodeId> outgoingVoters = new TreeSet<>();
        private final TreeMap<NodeId, URI> addresses = new TreeMap<>();

        private Builder() {}

        /**
         * Adds a voter (removing it from the learners if it was one).
         *
         * @param id the node
         * @param address where it is reached
         * @return this builder
         */
        public Builder addVoter(NodeId id, URI address) {
            learners.remove(id);
            voters.add(Objects.requireNonNull(id));
            addresses.put(id, Objects.requireNonNull(address));
            return this;
        }

        /**
         * Adds a learner (removing it from the voters if it was one).
         *
         * @param id the node
         * @param address where it is reached
         * @return this builder
         */
        public Builder addLearner(NodeId id, URI address) {
            voters.remove(id);
            learners.add(Objects.requireNonNull(id));
            addresses.put(id, Objects.requireNonNull(address));
            return this;
        }

        /**
         * Removes a member from every set.
         *
         * @param id the node
         * @return this builder
         */
        public Builder remove(NodeId id) {
            voters.remove(id);
            learners.remove(id);
            if (!outgoingVoters.contains(id)) {
                addresses.remove(id);
            }
            return this;
        }

        /**
         * Sets the outgoing voters, making the result a joint configuration (thesis §4.3).
         *
         * @param ids the previous voters; empty for a simple configuration
         * @return this builder
         */
        public Builder outgoingVoters(Set<NodeId> ids) {
            outgoingVoters.clear();
            outgoingVoters.addAll(ids);
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the configuration
         * @throws IllegalArgumentException if it is invalid, see {@link ClusterConfig}
         */
        public ClusterConfig build() {
            TreeMap<NodeId, URI> used = new TreeMap<>(addresses);
            used.keySet().retainAll(unionOfSets());
            return new ClusterConfig(voters, learners, outgoingVoters, used);
        }

        private Set<NodeId> unionOfSets() {
            TreeSet<NodeId> all = new TreeSet<>(voters);
            all.addAll(learners);
            all.addAll(outgoingVoters);
            return all;
        }
    }
}
