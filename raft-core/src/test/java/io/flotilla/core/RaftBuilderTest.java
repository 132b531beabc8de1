package io.flotilla.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.ClusterConfig;
import io.flotilla.ClusterId;
import io.flotilla.InvalidConfigException;
import io.flotilla.NodeFailedException;
import io.flotilla.NodeId;
import io.flotilla.ProviderSelectionException;
import io.flotilla.RaftNode;
import io.flotilla.Role;
import io.flotilla.core.internal.discovery.Backends;
import io.flotilla.message.RaftMessage;
import io.flotilla.spi.LogStoreProvider;
import io.flotilla.spi.MessageHandler;
import io.flotilla.spi.Storage;
import io.flotilla.spi.StorageContext;
import io.flotilla.spi.Transport;
import io.flotilla.spi.TransportContext;
import io.flotilla.spi.TransportProvider;
import io.flotilla.testkit.mem.MemNetwork;
import io.flotilla.testkit.mem.MemStorage;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RaftBuilderTest {
    private static final ClusterId CLUSTER = ClusterId.of("builder-test");
    private static final NodeId N1 = NodeId.of("n1");
    private static final ClusterConfig FAKE_CONFIG = ClusterConfig.ofVoters(Map.of(
            N1, URI.create("fake://n1"), NodeId.of("n2"), URI.create("fake://n2")));

    @Test
    void build_empty_reportsEveryMissingSettingAtOnce() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> Raft.newBuilder().build());
        assertEquals(List.of("clusterId is required", "nodeId is required",
                "initialConfig is required (the bootstrap membership, including this node)",
                "stateMachine is required", "storage is required: pass storage(Storage) or storage(URI)"),
                e.violations());
    }

    @Test
    void build_nodeOutsideInitialConfig_isReportedWithOtherProblems() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> Raft.newBuilder()
                .clusterId(CLUSTER).nodeId(NodeId.of("n9")).initialConfig(FAKE_CONFIG).build());
        assertEquals(3, e.violations().size(), e.getMessage());
        assertTrue(e.violations().get(0).contains("n9 is not a member of initialConfig [n1, n2]"), e.getMessage());
    }

    @Test
    void build_noProviderForAddressOrLocation_listsBothSelectionProblems() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> Raft.newBuilder()
                .backends(Backends.of(List.of(), List.of()))
                .clusterId(CLUSTER).nodeId(N1).initialConfig(FAKE_CONFIG).stateMachine(new KvStateMachine())
                .storage(URI.create("fake:/data/n1")).build());
        assertEquals(2, e.violations().size(), e.getMessage());
        assertTrue(e.violations().get(0).startsWith("no transport provider for fake://n1"), e.getMessage());
        assertTrue(e.violations().get(1).startsWith("no storage provider for fake:/data/n1"), e.getMessage());
        assertEquals(2, e.getSuppressed().length);
        assertInstanceOf(ProviderSelectionException.class, e.getSuppressed()[0]);
    }

    @Test
    void build_severalProvidersForAddress_isAnErrorNamingThem() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> Raft.newBuilder()
                .backends(Backends.of(List.of(new FakeTransportProvider("alpha"), new FakeTransportProvider("beta")),
                        List.of(new FakeStorageProvider())))
                .clusterId(CLUSTER).nodeId(N1).initialConfig(FAKE_CONFIG).stateMachine(new KvStateMachine())
                .storage(URI.create("fake:/data/n1")).build());
        assertEquals(1, e.violations().size(), e.getMessage());
        assertTrue(e.violations().get(0).contains("several transport providers for fake://n1: alpha, beta"),
                e.getMessage());
    }

    @Test
    void build_explicitInstances_winOverDiscovery() {
        FakeStorageProvider storageProvider = new FakeStorageProvider();
        RaftNode node = Raft.newBuilder()
                .backends(Backends.of(List.of(new FakeTransportProvider("alpha"), new FakeTransportProvider("beta")),
                        List.of(storageProvider)))
                .clusterId(CLUSTER).nodeId(N1).initialConfig(FAKE_CONFIG).stateMachine(new KvStateMachine())
                .transport(MemNetwork.create().transport(CLUSTER, N1))
                .storage(MemStorage.create(N1))
                .storage(URI.create("fake:/data/n1"))
                .build();
        assertEquals(0, storageProvider.opened, "the URI is ignored when an instance is given");
        assertEquals(N1, node.id());
        node.close();
    }

    @Test
    void build_soleProviders_areUsed() {
        FakeTransportProvider transports = new FakeTransportProvider("alpha");
        FakeStorageProvider stores = new FakeStorageProvider();
        RaftNode node = Raft.newBuilder()
                .backends(Backends.of(List.of(transports), List.of(stores)))
                .clusterId(CLUSTER).nodeId(N1).initialConfig(FAKE_CONFIG).stateMachine(new KvStateMachine())
                .storage(URI.create("fake:/data/n1")).build();
        assertEquals(1, transports.created);
        assertEquals(URI.create("fake://n1"), transports.lastAddress, "listens on the node's own address");
        assertEquals(new TransportContext(CLUSTER, N1), transports.lastContext);
        assertEquals(1, stores.opened);
        assertEquals(Role.FOLLOWER, node.status().role());
        node.close();
    }

    @Test
    void build_storageCannotBeOpened_failsWithNodeFailed() {
        FakeStorageProvider stores = new FakeStorageProvider();
        stores.failure = new IOException("disk gone");
        NodeFailedException e = assertThrows(NodeFailedException.class, () -> Raft.newBuilder()
                .backends(Backends.of(List.of(new FakeTransportProvider("alpha")), List.of(stores)))
                .clusterId(CLUSTER).nodeId(N1).initialConfig(FAKE_CONFIG).stateMachine(new KvStateMachine())
                .storage(URI.create("fake:/data/n1")).build());
        assertSame(stores.failure, e.getCause());
    }

    @Test
    void build_serviceLoader_findsTheTestkitMemProviders() {
        ClusterConfig mem = ClusterConfig.ofVoters(Map.of(N1, URI.create("mem://n1")));
        RaftNode node = Raft.newBuilder()
                .clusterId(CLUSTER).nodeId(N1).initialConfig(mem).stateMachine(new KvStateMachine())
                .storage(URI.create("mem:builder-test-n1")).build();
        assertEquals(N1, node.id());
        node.close();
    }

    static final class FakeTransportProvider implements TransportProvider {
        final String name;
        int created;
        URI lastAddress;
        TransportContext lastContext;

        FakeTransportProvider(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean supports(URI address) {
            return "fake".equals(address.getScheme());
        }

        @Override
        public Transport create(URI listenAddress, TransportContext context) {
            created++;
            lastAddress = listenAddress;
            lastContext = context;
            return new Transport() {
                @Override
                public void start(MessageHandler handler) {}

                @Override
                public URI localAddress() {
                    return listenAddress;
                }

                @Override
                public void send(RaftMessage message) {}

                @Override
                public void updatePeers(Map<NodeId, URI> peers) {}

                @Override
                public void close() {}
            };
        }
    }

    static final class FakeStorageProvider implements LogStoreProvider {
        int opened;
        IOException failure;

        @Override
        public String name() {
            return "fake-store";
        }

        @Override
        public boolean supports(URI location) {
            return "fake".equals(location.getScheme());
        }

        @Override
        public Storage open(URI location, StorageContext context) throws IOException {
            if (failure != null) {
                throw failure;
            }
            opened++;
            return MemStorage.create(context.self());
        }
    }
}
