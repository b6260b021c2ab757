package io.tributary.jms.message;

import jakarta.jms.JMSException;
import jakarta.jms.TextMessage;

import java.nio.charset.StandardCharsets;

/** A String body, UTF-8 in the record value. */
public final class TributaryTextMessage extends TributaryMessage implements TextMessage {
    private String text;

    @Override
    public String bodyType() {
        return "text";
    }

    @Override
    public void setText(String text) throws JMSException {
        checkBodyWritable();
        this.text = text;
    }

    @Override
    public String getText() {
        return text;
    }

    @Override
    public byte[] encodeBody() {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void decodeBody(byte[] value) {
        text = value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public void clearBody() throws JMSException {
        super.clearBody();
        text = null;
    }

    @Override
    protected Object body() {
        return text;
    }
}
