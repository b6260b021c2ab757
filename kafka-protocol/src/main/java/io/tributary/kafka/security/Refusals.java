package io.tributary.kafka.security;

import org.apache.kafka.common.protocol.ApiMessage;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What a {@link ResourceRule} took out of a request: the entries that answer the refused resources, added to
 * the response the handler makes of the rest, or to an empty response of the API when nothing is left for
 * the handler (Kafka then answers at once, without a coordinator or a log in between).
 */
final class Refusals {
    private final boolean nothingLeft;
    private final Supplier<ApiMessage> emptyResponse;
    private final Consumer<ApiMessage> answer;

    private Refusals(boolean nothingLeft, Supplier<ApiMessage> emptyResponse, Consumer<ApiMessage> answer) {
        this.nothingLeft = nothingLeft;
        this.emptyResponse = emptyResponse;
        this.answer = answer;
    }

    /**
     * Refusals answered by {@code answer}, which adds their entries to a response of the API;
     * {@code nothingLeft} when the request holds no resource for the handler any more.
     */
    static Refusals of(boolean nothingLeft, Supplier<ApiMessage> emptyResponse, Consumer<ApiMessage> answer) {
        return new Refusals(nothingLeft, emptyResponse, answer);
    }

    /**
     * Refusals that answer each resource {@code taken} out of the request with {@code answer}, which adds the
     * resource's entry to a response of the API; {@code null} when none was taken, so a rule can return it as is.
     * {@code nothingLeft} when the request holds no resource for the handler any more.
     */
    @SuppressWarnings("unchecked")
    static <T, R extends ApiMessage> Refusals each(List<T> taken, boolean nothingLeft, Supplier<R> emptyResponse,
                                                   BiConsumer<R, T> answer) {
        if (taken.isEmpty()) {
            return null;
        }
        return new Refusals(nothingLeft, emptyResponse::get, response -> taken.forEach(t -> answer.accept((R) response, t)));
    }

    boolean nothingLeft() {
        return nothingLeft;
    }

    /** {@code response} with the refused resources' entries added. */
    ApiMessage addTo(ApiMessage response) {
        answer.accept(response);
        return response;
    }

    /** The response when nothing was left for the handler: the refused resources' entries alone. */
    ApiMessage alone() {
        return addTo(emptyResponse.get());
    }
}
