package io.tributary.kafka.api;

import io.tributary.kafka.network.RequestContext;
import io.tributary.kafka.network.RequestDispatcher;
import org.apache.kafka.common.protocol.ApiKeys;

import java.util.EnumMap;
import java.util.Map;

/** The registry from API key to handler; it must cover exactly the APIs of {@link SupportedApis}. */
public final class ApiHandlers implements RequestDispatcher {
    private final Map<ApiKeys, ApiHandler> handlers;
    private final Map<Short, ApiHandler> extensions;

    private ApiHandlers(Map<ApiKeys, ApiHandler> handlers, Map<Short, ApiHandler> extensions) {
        this.handlers = handlers;
        this.extensions = extensions;
    }

    /** As {@link #of(Map)}, with the handlers of Tributary's extension APIs by their API keys. */
    public static ApiHandlers of(Map<ApiKeys, ApiHandler> handlers, Map<Short, ApiHandler> extensions) {
        return new ApiHandlers(of(handlers).handlers, Map.copyOf(extensions));
    }

    /**
     * @throws IllegalArgumentException if the map's keys differ from the advertised APIs
     */
    public static ApiHandlers of(Map<ApiKeys, ApiHandler> handlers) {
        EnumMap<ApiKeys, ApiHandler> copy = new EnumMap<>(ApiKeys.class);
        copy.putAll(handlers);
        for (ApiKeys key : SupportedApis.keys()) {
            if (!copy.containsKey(key)) {
                throw new IllegalArgumentException("No handler for advertised API " + key);
            }
        }
        for (ApiKeys key : copy.keySet()) {
            if (!SupportedApis.isSupported(key)) {
                throw new IllegalArgumentException("Handler for API " + key + " which is not advertised");
            }
        }
        return new ApiHandlers(copy, Map.of());
    }

    @Override
    public void dispatch(RequestContext context) {
        if (context.request().isExtension()) {
            ApiHandler extension = extensions.get(context.request().header().data().requestApiKey());
            if (extension == null) {
                context.closeConnection("no handler for the extension API " + context.request().apiName());
            } else {
                extension.handle(context);
            }
            return;
        }
        handlers.get(context.request().apiKey()).handle(context);
    }
}
