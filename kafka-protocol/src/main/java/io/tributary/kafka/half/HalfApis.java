package io.tributary.kafka.half;

import io.tributary.kafka.api.ApiHandler;
import io.tributary.log.LogManager;
import io.tributary.transactions.HalfTransactionCoordinator;

import java.util.Map;

/** Registers the half-message extension handlers; a malformed body is answered before its handler sees it. */
public final class HalfApis {
    private HalfApis() {
    }

    public static void register(Map<Short, ApiHandler> extensions, HalfTransactionCoordinator coordinator,
                                LogManager log) {
        extensions.put(HalfApi.SEND_HALF.key, guarded(new SendHalfHandler(coordinator, log)));
        extensions.put(HalfApi.END_HALF.key, guarded(new EndHalfHandler(coordinator)));
        extensions.put(HalfApi.POLL_CHECK.key, guarded(new PollCheckHandler(coordinator)));
    }

    private static ApiHandler guarded(ApiHandler handler) {
        return context -> {
            if (context.request().body() instanceof MalformedRequest bad) {
                context.respond(HalfRequests.errorResponse(bad.api(), bad.errorCode, bad.reason));
            } else {
                handler.handle(context);
            }
        };
    }
}
