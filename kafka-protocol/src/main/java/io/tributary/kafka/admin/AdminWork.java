package io.tributary.kafka.admin;

import io.tributary.kafka.network.RequestContext;
import org.apache.kafka.common.protocol.ApiMessage;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/** Runs a handler's file work on the admin executor and answers with its result. */
final class AdminWork {
    private AdminWork() {
    }

    /** Answers {@code context} with what {@code work} returns, computed on {@code admin}; closes the connection if the executor is shut down. */
    static void run(RequestContext context, Executor admin, Supplier<ApiMessage> work) {
        try {
            admin.execute(() -> context.respond(work.get()));
        } catch (RejectedExecutionException e) {
            context.closeConnection("broker shutting down, cannot serve " + context.request().apiKey());
        }
    }
}
