package io.flotilla.testkit;

import io.flotilla.SnapshotMeta;
import io.flotilla.spi.SnapshotKind;
import io.flotilla.spi.SnapshotPart;
import io.flotilla.spi.SnapshotReader;
import io.flotilla.spi.SnapshotStore;
import io.flotilla.spi.SnapshotWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * More teeth for {@link SnapshotStoreContract} (see {@link ContractTeethTest}): each broken store below, built on
 * the in-memory reference, must fail the test that targets its bug.
 */
class SnapshotContractTeethTest {

    /** The pre-merge rule: a FULL at the latest index is rejected. */
    static class NoMerge extends ContractTeethTest.ReferenceSnapshots {
        @Override
        protected SnapshotStore openSnapshots(Path dir) {
            return new Forwarding.Snapshots(super.openSnapshots(dir)) {
                @Override
                public SnapshotWriter create(SnapshotMeta meta, SnapshotKind kind) throws IOException {
                    Optional<SnapshotMeta> latest = d.latest();
                    if (latest.isPresent() && latest.get().lastIncludedIndex() == meta.lastIncludedIndex()) {
                        throw new IllegalArgumentException("index not above the latest");
                    }
                    return d.create(meta, kind);
                }
            };
        }
    }

    /** A DELTA at the latest index is accepted (stored as a merge). */
    static class DeltaAtLatestAccepted extends ContractTeethTest.ReferenceSnapshots {
        @Override
        protected SnapshotStore openSnapshots(Path dir) {
            return new Forwarding.Snapshots(super.openSnapshots(dir)) {
                @Override
                public SnapshotWriter create(SnapshotMeta meta, SnapshotKind kind) throws IOException {
                    Optional<SnapshotMeta> latest = d.latest();
                    boolean atLatest = latest.isPresent()
                            && latest.get().lastIncludedIndex() == meta.lastIncludedIndex();
                    return d.create(meta, atLatest ? SnapshotKind.FULL : kind);
                }
            };
        }
    }

    /** The writer's stream drops single-byte writes. */
    static class SingleByteWritesLost extends ContractTeethTest.ReferenceSnapshots {
        @Override
        protected SnapshotStore openSnapshots(Path dir) {
            return new Forwarding.Snapshots(super.openSnapshots(dir)) {
                @Override
                public SnapshotWriter create(SnapshotMeta meta, SnapshotKind kind) throws IOException {
                    return new Forwarding.Writer(d.create(meta, kind)) {
                        private final OutputStream out = new OutputStream() {
                            @Override
                            public void write(int b) {
                                // lost
                            }

                            @Override
                            public void write(byte[] b, int off, int len) throws IOException {
                                d.output().write(b, off, len);
                            }
                        };

                        @Override
                        public OutputStream output() {
                            return out;
                        }
                    };
                }
            };
        }
    }

    /** A reader's parts follow the latest chain instead of staying on the chain it opened. */
    static class ReaderFollowsLatest extends ContractTeethTest.ReferenceSnapshots {
        @Override
        protected SnapshotStore openSnapshots(Path dir) {
            return new Forwarding.Snapshots(super.openSnapshots(dir)) {
                @Override
                public Optional<SnapshotReader> openLatest() throws IOException {
                    Optional<SnapshotReader> first = d.openLatest();
                    if (first.isEmpty()) {
                        return first;
                    }
                    SnapshotStore store = d;
                    return Optional.of(new SnapshotReader() {
                        private SnapshotReader current() throws IOException {
                            return store.openLatest().orElseThrow();
                        }

                        @Override
                        public SnapshotMeta meta() {
                            try (SnapshotReader r = current()) {
                                return r.meta();
                            } catch (IOException e) {
                                throw new IllegalStateException(e);
                            }
                        }

                        @Override
                        public List<SnapshotPart> parts() {
                            try (SnapshotReader r = current()) {
                                return r.parts();
                            } catch (IOException e) {
                                throw new IllegalStateException(e);
                            }
                        }

                        @Override
                        public void close() throws IOException {
                            first.get().close();
                        }
                    });
                }
            };
        }
    }

    @Test
    public void snapshotContract_catchesMissingMerge() {
        ContractTeethTest.assertCaught(NoMerge.class, "merge_fullAtTheLatestIndex_replacesTheWholeChain",
                "merge_readersOfTheOldChain_keepReadingItUntilClosed", "randomOperations_matchModel");
    }

    @Test
    public void snapshotContract_catchesDeltaAtTheLatestIndex() {
        ContractTeethTest.assertCaught(DeltaAtLatestAccepted.class,
                "create_indexBelowLatest_orDeltaAtLatest_throwsIllegalArgument", "randomOperations_matchModel");
    }

    @Test
    public void snapshotContract_catchesLostSingleByteWrites() {
        ContractTeethTest.assertCaught(SingleByteWritesLost.class,
                "largePart_writtenInOddPieces_streamsBackByteForByte");
    }

    @Test
    public void snapshotContract_catchesReaderFollowingTheLatestChain() {
        ContractTeethTest.assertCaught(ReaderFollowsLatest.class, "reader_staysValid_whileANewerSnapshotIsCommitted",
                "merge_readersOfTheOldChain_keepReadingItUntilClosed", "randomOperations_matchModel");
    }
}
