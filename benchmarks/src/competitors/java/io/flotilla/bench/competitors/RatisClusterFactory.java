package io.flotilla.bench.competitors;

import io.flotilla.bench.driver.BenchCluster;
import io.flotilla.bench.driver.BenchClusterFactory;
import io.flotilla.bench.driver.KvStateMachine;
import io.flotilla.bench.driver.Settings;
import io.flotilla.testkit.TestPorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;

/**
 * Apache Ratis 3.3.0: three {@link RaftServer}s in one JVM over its gRPC transport on 127.0.0.1 and its segmented
 * log with flush on (its default; no unsafe flush). Commands are submitted in-process to the leader's
 * {@code submitClientRequestAsync}, as Flotilla's go to {@code RaftNode.propose} (no client RPC hop). Supports the
 * network transport and file store only. Ratis' own defaults otherwise; {@code -Dbench.ratis.appenderWaitTimeMin=0ms}
 * overrides {@code raft.server.log.appender.wait-time.min} (default 10 ms).
 */
public final class RatisClusterFactory implements BenchClusterFactory {
    /** Creates the factory (ServiceLoader). */
    public RatisClusterFactory() {}

    @Override
    public String name() {
        return "ratis";
    }

    @Override
    public BenchCluster start(Settings settings) throws Exception {
        if (settings.transport().equals("mem") || !settings.durable() || settings.processes() != 1) {
            throw new IllegalArgumentException("ratis runs with its gRPC transport and segmented log, in one JVM:"
                    + " --transport grpc --store file --processes 1");
        }
        RaftGroupId groupId = RaftGroupId.valueOf(UUID.randomUUID());
        Path dir = settings.dataDir().resolve("ratis-" + groupId.getUuid());
        List<RaftPeer> peers = new ArrayList<>();
        Map<RaftPeerId, Integer> ports = new HashMap<>();
        for (int i = 1; i <= 3; i++) {
            int port = TestPorts.freeStablePort();
            RaftPeerId id = RaftPeerId.valueOf("n" + i);
            ports.put(id, port);
            peers.add(RaftPeer.newBuilder().setId(id).setAddress("127.0.0.1:" + port).build());
        }
        RaftGroup group = RaftGroup.valueOf(groupId, peers);
        List<RaftServer> servers = new ArrayList<>();
        Map<RaftServer, Machine> machines = new HashMap<>();
        try {
            for (RaftPeer peer : peers) {
                RaftProperties props = new RaftProperties();
                Path home = dir.resolve(peer.getId().toString());
                Files.createDirectories(home);
                RaftServerConfigKeys.setStorageDir(props, List.of(home.toFile()));
                RaftConfigKeys.Rpc.setType(props, SupportedRpcType.GRPC);
                GrpcConfigKeys.Server.setPort(props, ports.get(peer.getId()));
                RaftServerConfigKeys.Log.setUnsafeFlushEnabled(props, false);
                String waitMin = System.getProperty("bench.ratis.appenderWaitTimeMin");
                if (waitMin != null) {
                    // Ratis' default is 10 ms between appends to a follower with nothing new to send.
                    RaftServerConfigKeys.Log.Appender.setWaitTimeMin(props, TimeDuration.valueOf(waitMin, java.util.concurrent.TimeUnit.MILLISECONDS));
                }
                Machine machine = new Machine();
                RaftServer server = RaftServer.newBuilder().setServerId(peer.getId()).setGroup(group)
                        .setStateMachine(machine).setProperties(props)
                        .setOption(RaftStorage.StartupOption.FORMAT).build();
                servers.add(server);
                machines.put(server, machine);
            }
            for (RaftServer s : servers) {
                s.start();
            }
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() < deadline) {
                for (RaftServer s : servers) {
                    RaftServer.Division d = s.getDivision(groupId);
                    if (d.getInfo().isLeader() && d.getInfo().isLeaderReady()) {
                        return new Cluster(s, groupId, machines, servers, dir);
                    }
                }
                Thread.sleep(10);
            }
            throw new IllegalStateException("Ratis elected no leader in 60 s");
        } catch (Exception | Error e) {
            for (RaftServer s : servers) {
                s.close();
            }
            throw e;
        }
    }

    /** The benchmark's key-value logic ({@link KvStateMachine}) as a Ratis state machine. */
    private static final class Machine extends BaseStateMachine {
        private final Map<Long, byte[]> values = new HashMap<>();
        private volatile long applied;

        @Override
        public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
            LogEntryProto entry = trx.getLogEntry();
            byte[] command = entry.getStateMachineLogEntry().getLogData().toByteArray();
            values.put(KvStateMachine.key(command, 0), command);
            applied++;
            updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
            return CompletableFuture.completedFuture(Message.EMPTY);
        }
    }

    private static final class Cluster implements BenchCluster {
        private volatile RaftServer leader;
        private final RaftGroupId groupId;
        private final Map<RaftServer, Machine> machines;
        private final List<RaftServer> servers;
        private final Path dir;
        private final ClientId clientId = ClientId.randomId();
        private final AtomicLong callIds = new AtomicLong();

        Cluster(RaftServer leader, RaftGroupId groupId, Map<RaftServer, Machine> machines, List<RaftServer> servers,
                Path dir) {
            this.leader = leader;
            this.groupId = groupId;
            this.machines = machines;
            this.servers = servers;
            this.dir = dir;
        }

        @Override
        public String describe() {
            return "Apache Ratis 3.3.0 gRPC + segmented log, flush on (3 nodes in one JVM)";
        }

        @Override
        public void propose(byte[] command, Completion completion) {
            RaftServer target = leader;
            RaftClientRequest request = RaftClientRequest.newBuilder().setClientId(clientId)
                    .setServerId(target.getId()).setGroupId(groupId).setCallId(callIds.incrementAndGet())
                    .setMessage(Message.valueOf(ByteString.copyFrom(command)))
                    .setType(RaftClientRequest.writeRequestType()).build();
            try {
                target.submitClientRequestAsync(request).whenComplete((reply, e) -> {
                    if ((e != null || !reply.isSuccess()) && target == leader) {
                        followLeader();
                    }
                    if (e != null) {
                        completion.done(e);
                    } else if (!reply.isSuccess()) {
                        completion.done(reply.getException() != null ? reply.getException()
                                : new IllegalStateException("Ratis: request failed"));
                    } else {
                        completion.done(null);
                    }
                });
            } catch (IOException e) {
                completion.done(e);
            }
        }

        /** After a failure (typically NotLeaderException), switches to whichever server leads now. */
        private void followLeader() {
            for (RaftServer s : servers) {
                try {
                    if (s.getDivision(groupId).getInfo().isLeader()) {
                        leader = s;
                        return;
                    }
                } catch (IOException e) {
                    // closing
                }
            }
        }

        @Override
        public long appliedOnLeader() {
            return machines.get(leader).applied;
        }

        @Override
        public void close() throws Exception {
            for (RaftServer s : servers) {
                s.close();
            }
            Trees.delete(dir);
        }
    }
}
