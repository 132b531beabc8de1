package io.flotilla.core.internal.inject;

import dagger.Binds;
import dagger.Module;
import io.flotilla.core.internal.loop.EventLoopRaftNode;
import io.flotilla.core.internal.loop.NodeCallbacks;

/** Binds the pipelines' callback interface to the node (a cycle Dagger breaks with {@code dagger.Lazy}). */
@Module
interface LoopModule {
    /**
     * @param node the node
     * @return the node as the pipelines' callback target
     */
    @Binds
    NodeCallbacks callbacks(EventLoopRaftNode node);
}
