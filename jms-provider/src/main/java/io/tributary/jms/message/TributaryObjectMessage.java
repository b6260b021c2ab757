package io.tributary.jms.message;

import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.ObjectMessage;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;

/**
 * A Serializable body in Java serialization. The object is serialized when set (so later changes to it are not
 * sent, as the specification requires) and deserialized on each {@link #getObject} with the thread's context
 * class loader. Deserializing untrusted data is dangerous: only use ObjectMessage between trusted parties.
 */
public final class TributaryObjectMessage extends TributaryMessage implements ObjectMessage {
    private byte[] serialized;

    @Override
    public String bodyType() {
        return "object";
    }

    @Override
    public void setObject(Serializable object) throws JMSException {
        checkBodyWritable();
        if (object == null) {
            serialized = null;
            return;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        } catch (IOException e) {
            throw (MessageFormatException) new MessageFormatException("cannot serialize " + object.getClass().getName()
                    + ": " + e).initCause(e);
        }
        serialized = bytes.toByteArray();
    }

    @Override
    public Serializable getObject() throws JMSException {
        if (serialized == null) {
            return null;
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(serialized)) {
            @Override
            protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
                if (loader != null) {
                    try {
                        return Class.forName(desc.getName(), false, loader);
                    } catch (ClassNotFoundException e) {
                        // fall back to the default resolution below
                    }
                }
                return super.resolveClass(desc);
            }
        }) {
            return (Serializable) in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw (MessageFormatException) new MessageFormatException("cannot deserialize the object body: " + e)
                    .initCause(e);
        }
    }

    @Override
    public byte[] encodeBody() {
        return serialized;
    }

    @Override
    public void decodeBody(byte[] value) {
        serialized = value;
    }

    @Override
    public void clearBody() throws JMSException {
        super.clearBody();
        serialized = null;
    }

    @Override
    protected Object body() throws JMSException {
        return getObject();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public boolean isBodyAssignableTo(Class c) throws JMSException {
        if (serialized == null) {
            return true;
        }
        return c == Serializable.class || c == Object.class || c.isInstance(getObject());
    }
}
