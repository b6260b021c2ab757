package io.tributary.kafka.network;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.tributary.security.limits.ConnectionQuota;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * First in every connection's pipeline: counts the connection against the broker's
 * {@link ConnectionQuota} when it opens and releases it when it closes; a connection over
 * {@code max.connections} or {@code max.connections.per.ip} is closed at once, before a byte is
 * read, with a rate-limited WARN line. Shared by every connection of a listener.
 */
@ChannelHandler.Sharable
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
    private static final AttributeKey<InetAddress> COUNTED = AttributeKey.valueOf("tributary.connection.counted");
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimiter.class);

    private final ConnectionQuota quota;
    private final RateLimitedLog warnings;

    /** @param warnings the listener's budget of WARN lines clients can cause */
    public ConnectionLimiter(ConnectionQuota quota, RateLimitedLog warnings) {
        this.quota = quota;
        this.warnings = warnings;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetAddress address = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
        if (address != null) {
            ConnectionQuota.Refusal refusal = quota.tryAcquire(address);
            if (refusal != null) {
                warnings.warn(LOG, refusal.name(), "Refusing connection from {}: {}", address.getHostAddress(),
                        refusal == ConnectionQuota.Refusal.TOTAL ? "max.connections reached"
                                : "max.connections.per.ip reached for this address");
                ctx.close();
                return;
            }
            ctx.channel().attr(COUNTED).set(address);
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        InetAddress address = ctx.channel().attr(COUNTED).getAndSet(null);
        if (address != null) {
            quota.release(address);
        }
        ctx.fireChannelInactive();
    }
}
