package io.flotilla.examples.kv.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.IndeterminateStateException;
import io.flotilla.NodeFailedException;
import io.flotilla.NotLeaderException;
import io.flotilla.ProposalDroppedException;
import io.flotilla.RaftStoppedException;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP response of the key-value API: a status, a JSON body and extra headers. Errors have the body
 * {@code {"error": "<code>", "message": "<reason>"}}; the code is stable, the message is for people.
 *
 * <p><b>Threading:</b> immutable, apart from the body node, which is not modified after construction.
 *
 * @param status the HTTP status
 * @param body the JSON body
 * @param headers extra headers, such as {@code Retry-After}
 */
record Reply(int status, ObjectNode body, Map<String, String> headers) {
    static final ObjectMapper JSON = new ObjectMapper();

    static Reply ok(ObjectNode body) {
        return new Reply(200, body, Map.of());
    }

    static Reply error(int status, String code, String message) {
        return new Reply(status, errorBody(code, message), Map.of());
    }

    static ObjectNode errorBody(String code, String message) {
        ObjectNode n = JSON.createObjectNode();
        n.put("error", code);
        n.put("message", message);
        return n;
    }

    /** A 503 asking the client to retry shortly. */
    static Reply unavailable(String code, String message) {
        return new Reply(503, errorBody(code, message), Map.of("Retry-After", "1"));
    }

    /**
     * Maps a failed Raft operation to a reply; {@code write} tells whether an ambiguous outcome is possible.
     *
     * @param failure the exception the future completed with
     * @param write whether the operation was a write
     * @return the reply
     */
    static Reply ofFailure(Throwable failure, boolean write) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof NotLeaderException) {
            return unavailable("no_leader", "this node is not the leader and no leader is known yet "
                    + "(an election may be running); retry shortly");
        } else if (t instanceof IndeterminateStateException) {
            return unavailable("unknown_outcome", "leadership was lost after the write was appended: it may or may "
                    + "not have been applied; read the key to find out");
        } else if (t instanceof ProposalDroppedException) {
            return unavailable("dropped", "the leader dropped the request without applying it (" + t.getMessage()
                    + "); retrying is safe");
        } else if (t instanceof RaftStoppedException) {
            return unavailable("stopped", "this node is shutting down");
        } else if (t instanceof NodeFailedException) {
            return unavailable("node_failed", "this node has failed and stopped serving: " + t.getMessage());
        } else if (t instanceof TimeoutException) {
            return new Reply(504, errorBody("timeout", write
                    ? "no answer in time (a quorum may be unreachable); the write may or may not be applied"
                    : "no answer in time (a quorum may be unreachable)"), Map.of("Retry-After", "1"));
        }
        return error(500, "internal", String.valueOf(t));
    }
}
