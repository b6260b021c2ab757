package io.tributary.jms;

import io.tributary.jms.message.TributaryMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import jakarta.jms.Queue;
import jakarta.jms.QueueSender;
import jakarta.jms.Topic;
import jakarta.jms.TopicPublisher;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends messages as records to the Tributary topic named by the destination. A PERSISTENT send returns once the
 * broker has acknowledged the record ({@code acks=all}), which it does once the record is fsynced (the
 * connection's PERSISTENT producer asks for that by its client id, see {@link TributaryConnection#producer}); a NON_PERSISTENT send returns once the record is handed
 * to the connection's Kafka producer (a failure reaches the ExceptionListener); a send with a
 * {@link CompletionListener} returns at once and calls it, on the session's completion thread, when the broker
 * has acknowledged the record. In a transacted session every send returns once handed to the session's
 * transactional producer: {@code commit()} waits for the broker and fails if any send failed.
 */
final class TributaryMessageProducer implements QueueSender, TopicPublisher {
    private final TributarySession session;
    private final TributaryDestination destination;
    private volatile boolean closed;
    private int deliveryMode = DeliveryMode.PERSISTENT;
    private int priority = Message.DEFAULT_PRIORITY;
    private long timeToLive = Message.DEFAULT_TIME_TO_LIVE;
    private long deliveryDelay = Message.DEFAULT_DELIVERY_DELAY;
    private boolean disableMessageId;
    private boolean disableTimestamp;

    TributaryMessageProducer(TributarySession session, TributaryDestination destination) {
        this.session = session;
        this.destination = destination;
    }

    private void checkOpen() throws IllegalStateException {
        if (closed) {
            throw new IllegalStateException("the producer is closed");
        }
        session.checkOpen();
    }

    @Override
    public void setDisableMessageID(boolean value) throws JMSException {
        checkOpen();
        disableMessageId = value;
    }

    @Override
    public boolean getDisableMessageID() throws JMSException {
        checkOpen();
        return disableMessageId;
    }

    @Override
    public void setDisableMessageTimestamp(boolean value) throws JMSException {
        checkOpen();
        disableTimestamp = value;
    }

    @Override
    public boolean getDisableMessageTimestamp() throws JMSException {
        checkOpen();
        return disableTimestamp;
    }

    @Override
    public void setDeliveryMode(int deliveryMode) throws JMSException {
        checkOpen();
        checkDeliveryMode(deliveryMode);
        this.deliveryMode = deliveryMode;
    }

    @Override
    public int getDeliveryMode() throws JMSException {
        checkOpen();
        return deliveryMode;
    }

    @Override
    public void setPriority(int priority) throws JMSException {
        checkOpen();
        checkPriority(priority);
        this.priority = priority;
    }

    @Override
    public int getPriority() throws JMSException {
        checkOpen();
        return priority;
    }

    @Override
    public void setTimeToLive(long timeToLive) throws JMSException {
        checkOpen();
        this.timeToLive = timeToLive;
    }

    @Override
    public long getTimeToLive() throws JMSException {
        checkOpen();
        return timeToLive;
    }

    /**
     * A message sent with a delay carries its delivery time in the header {@code tributary.deliver.at}: the broker
     * does not hand it to a queue receiver before then, and a topic subscriber of this provider holds it until then.
     */
    @Override
    public void setDeliveryDelay(long deliveryDelay) throws JMSException {
        checkOpen();
        if (deliveryDelay < 0) {
            throw new JMSException("invalid delivery delay " + deliveryDelay + ": not negative");
        }
        this.deliveryDelay = deliveryDelay;
    }

    @Override
    public long getDeliveryDelay() throws JMSException {
        checkOpen();
        return deliveryDelay;
    }

    @Override
    public Destination getDestination() throws JMSException {
        checkOpen();
        return destination;
    }

    @Override
    public Queue getQueue() throws JMSException {
        checkOpen();
        return destination instanceof Queue q ? q : null;
    }

    @Override
    public Topic getTopic() throws JMSException {
        checkOpen();
        return destination instanceof Topic t ? t : null;
    }

    @Override
    public void close() {
        closed = true;
        session.producerClosed(this);
    }

    @Override
    public void send(Message message) throws JMSException {
        send(message, deliveryMode, priority, timeToLive);
    }

    @Override
    public void send(Message message, int deliveryMode, int priority, long timeToLive) throws JMSException {
        if (destination == null) {
            throw new UnsupportedOperationException("this producer has no destination: use send(destination, ...)");
        }
        sendTo(destination, message, deliveryMode, priority, timeToLive, null);
    }

    @Override
    public void send(Destination destination, Message message) throws JMSException {
        send(destination, message, deliveryMode, priority, timeToLive);
    }

    @Override
    public void send(Destination destination, Message message, int deliveryMode, int priority, long timeToLive)
            throws JMSException {
        sendTo(destination, message, deliveryMode, priority, timeToLive, null);
    }

    @Override
    public void send(Message message, CompletionListener completionListener) throws JMSException {
        send(message, deliveryMode, priority, timeToLive, completionListener);
    }

    @Override
    public void send(Message message, int deliveryMode, int priority, long timeToLive,
                     CompletionListener completionListener) throws JMSException {
        if (destination == null) {
            throw new UnsupportedOperationException("this producer has no destination: use send(destination, ...)");
        }
        send(destination, message, deliveryMode, priority, timeToLive, completionListener);
    }

    @Override
    public void send(Destination destination, Message message, CompletionListener completionListener)
            throws JMSException {
        send(destination, message, deliveryMode, priority, timeToLive, completionListener);
    }

    @Override
    public void send(Destination destination, Message message, int deliveryMode, int priority, long timeToLive,
                     CompletionListener completionListener) throws JMSException {
        if (completionListener == null) {
            throw new IllegalArgumentException("completionListener is null");
        }
        sendTo(destination, message, deliveryMode, priority, timeToLive, completionListener);
    }

    @Override
    public void send(Queue queue, Message message) throws JMSException {
        send((Destination) queue, message);
    }

    @Override
    public void send(Queue queue, Message message, int deliveryMode, int priority, long timeToLive)
            throws JMSException {
        send((Destination) queue, message, deliveryMode, priority, timeToLive);
    }

    @Override
    public void publish(Message message) throws JMSException {
        send(message);
    }

    @Override
    public void publish(Message message, int deliveryMode, int priority, long timeToLive) throws JMSException {
        send(message, deliveryMode, priority, timeToLive);
    }

    @Override
    public void publish(Topic topic, Message message) throws JMSException {
        send(topic, message);
    }

    @Override
    public void publish(Topic topic, Message message, int deliveryMode, int priority, long timeToLive)
            throws JMSException {
        send(topic, message, deliveryMode, priority, timeToLive);
    }

    private void sendTo(Destination to, Message message, int deliveryMode, int priority, long timeToLive,
                        CompletionListener completionListener) throws JMSException {
        checkOpen();
        session.connection().checkUsable();
        if (to != destination && destination != null) {
            throw new UnsupportedOperationException("this producer sends to " + destination
                    + "; a destination cannot be given per send");
        }
        if (to == null) {
            throw new InvalidDestinationException("no destination given");
        }
        if (!(to instanceof TributaryDestination target)) {
            throw new InvalidDestinationException("not a Tributary destination: " + to.getClass().getName());
        }
        if (message == null) {
            throw new MessageFormatException("message is null");
        }
        if (!(message instanceof TributaryMessage m)) {
            throw new MessageFormatException("this provider sends only messages it created (Session.createXxxMessage),"
                    + " not a " + message.getClass().getName());
        }
        checkDeliveryMode(deliveryMode);
        checkPriority(priority);
        session.connection().ensureTopic(target.name());
        long now = System.currentTimeMillis();
        m.setJMSDestination(target);
        m.setJMSDeliveryMode(deliveryMode);
        m.setJMSPriority(priority);
        m.setJMSExpiration(timeToLive > 0 ? now + timeToLive : 0);
        m.setJMSTimestamp(disableTimestamp ? 0 : now);
        m.setJMSDeliveryTime(now + deliveryDelay);
        m.setJMSMessageID(disableMessageId ? null : session.connection().nextMessageId());
        RecordHeaders headers = MessageCodec.headers(m);
        headers.add(TributaryMessageConsumer.CONNECTION_HEADER, session.connection().id().getBytes(StandardCharsets.UTF_8));
        MessageCodec.addDeliveryHeaders(headers, m, deliveryDelay > 0);
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(target.name(), null, now, null, m.encodeBody(), headers);
        boolean persistent = deliveryMode == DeliveryMode.PERSISTENT;
        if (completionListener != null) {
            session.send(record, (metadata, error) -> session.completions().execute(() -> {
                if (error == null) {
                    completionListener.onCompletion(message);
                } else {
                    completionListener.onException(message, Errors.cause("send to " + target + " failed", error));
                }
            }), persistent);
        } else if (deliveryMode == DeliveryMode.PERSISTENT && !session.transacted()) {
            CompletableFuture<Void> acknowledged = new CompletableFuture<>();
            session.send(record, (metadata, error) -> {
                if (error == null) {
                    acknowledged.complete(null);
                } else {
                    acknowledged.completeExceptionally(error);
                }
            }, true);
            try {
                acknowledged.get(session.connection().options().sendTimeoutMs(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw Errors.cause("send to " + target + " failed", e.getCause());
            } catch (TimeoutException e) {
                throw Errors.cause("send to " + target + " was not acknowledged within "
                        + session.connection().options().sendTimeoutMs() + " ms", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw Errors.cause("interrupted sending to " + target, e);
            }
        } else {
            session.send(record, (metadata, error) -> {
                if (error != null && !session.transacted()) {
                    session.connection().asyncFailure(Errors.cause("NON_PERSISTENT send to " + target + " failed", error));
                }
            }, persistent);
        }
    }

    private static void checkDeliveryMode(int mode) throws JMSException {
        if (mode != DeliveryMode.PERSISTENT && mode != DeliveryMode.NON_PERSISTENT) {
            throw new JMSException("invalid delivery mode " + mode);
        }
    }

    private static void checkPriority(int priority) throws JMSException {
        if (priority < 0 || priority > 9) {
            throw new JMSException("invalid priority " + priority + ": 0 to 9");
        }
    }
}
