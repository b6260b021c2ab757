package io.tributary.jms.message;

import jakarta.jms.JMSException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.MessageNotWriteableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Property conversions (Jakarta Messaging 3.5.4) and body rules, without a broker. */
class MessageTest {
    @Test
    void propertiesConvertOnlyAsTheSpecificationAllows() throws JMSException {
        TributaryMessage m = new TributaryMessage();
        m.setByteProperty("b", (byte) 7);
        m.setFloatProperty("f", 2.5f);
        m.setStringProperty("s", "12");
        m.setBooleanProperty("t", true);

        assertThat(m.getShortProperty("b")).isEqualTo((short) 7);
        assertThat(m.getLongProperty("b")).isEqualTo(7L);
        assertThat(m.getStringProperty("b")).isEqualTo("7");
        assertThat(m.getDoubleProperty("f")).isEqualTo(2.5d);
        assertThat(m.getIntProperty("s")).isEqualTo(12);
        assertThat(m.getDoubleProperty("s")).isEqualTo(12d);
        assertThat(m.getStringProperty("t")).isEqualTo("true");
        assertThatThrownBy(() -> m.getFloatProperty("b")).isInstanceOf(MessageFormatException.class);
        assertThatThrownBy(() -> m.getIntProperty("f")).isInstanceOf(MessageFormatException.class);
        assertThatThrownBy(() -> m.getBooleanProperty("b")).isInstanceOf(MessageFormatException.class);
        assertThatThrownBy(() -> m.getByteProperty("t")).isInstanceOf(MessageFormatException.class);
        assertThatThrownBy(() -> m.getIntProperty("missing")).isInstanceOf(NumberFormatException.class);
        assertThat(m.getBooleanProperty("missing")).isFalse();
        assertThat(m.getStringProperty("missing")).isNull();
        assertThatThrownBy(() -> m.setObjectProperty("o", new Object())).isInstanceOf(MessageFormatException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1abc", "a-b", "NULL", "and", "Between", "escape"})
    void propertyNamesMustBeIdentifiersThatAreNotSelectorKeywords(String name) {
        assertThatThrownBy(() -> new TributaryMessage().setStringProperty(name, "v"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void receivedMessagesAreReadOnlyUntilCleared() throws JMSException {
        TributaryTextMessage m = new TributaryTextMessage();
        m.setText("x");
        m.setIntProperty("i", 1);
        m.received(() -> { });
        assertThatThrownBy(() -> m.setText("y")).isInstanceOf(MessageNotWriteableException.class);
        assertThatThrownBy(() -> m.setIntProperty("j", 2)).isInstanceOf(MessageNotWriteableException.class);
        m.clearBody();
        m.setText("y");
        m.clearProperties();
        m.setIntProperty("j", 2);
        assertThat(m.getText()).isEqualTo("y");
        assertThat(m.propertyExists("i")).isFalse();
    }

    @Test
    void aBytesMessageIsWriteOnlyThenReadOnlyAfterReset() throws JMSException {
        TributaryBytesMessage m = new TributaryBytesMessage();
        m.writeShort((short) 3);
        m.writeObject("s");
        assertThatThrownBy(m::readShort).isInstanceOf(MessageNotReadableException.class);
        m.reset();
        assertThat(m.readShort()).isEqualTo((short) 3);
        assertThat(m.readUTF()).isEqualTo("s");
        assertThatThrownBy(m::readByte).isInstanceOf(MessageEOFException.class);
        assertThatThrownBy(() -> m.writeInt(1)).isInstanceOf(MessageNotWriteableException.class);
        assertThatThrownBy(() -> m.writeObject(new Object())).isInstanceOf(MessageNotWriteableException.class);
    }

    @Test
    void aStreamMessageConvertsAndDoesNotMovePastAFailedRead() throws JMSException {
        TributaryStreamMessage m = new TributaryStreamMessage();
        m.writeString("abc");
        m.writeBytes(new byte[] {1, 2, 3});
        m.writeObject(null);
        m.reset();
        assertThatThrownBy(m::readInt).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(m::readFloat).isInstanceOf(NumberFormatException.class);
        assertThat(m.readString()).isEqualTo("abc");
        byte[] two = new byte[2];
        assertThat(m.readBytes(two)).isEqualTo(2);
        assertThat(two).containsExactly(1, 2);
        assertThat(m.readBytes(two)).isEqualTo(1);
        assertThat(two[0]).isEqualTo((byte) 3);
        assertThat(m.readBytes(two)).isEqualTo(-1);
        assertThat(m.readObject()).isNull();
        assertThatThrownBy(m::readObject).isInstanceOf(MessageEOFException.class);
    }

    @Test
    void mapAndStreamBodiesSurviveTheirEncoding() throws JMSException {
        TributaryMapMessage map = new TributaryMapMessage();
        map.setDouble("d", 1.25);
        map.setBytes("b", new byte[] {4});
        map.setObject("n", null);
        TributaryMapMessage copy = new TributaryMapMessage();
        copy.decodeBody(map.encodeBody());
        assertThat(copy.getDouble("d")).isEqualTo(1.25);
        assertThat(copy.getBytes("b")).containsExactly(4);
        assertThat(copy.itemExists("n")).isTrue();
        assertThat(copy.getObject("n")).isNull();
        assertThatThrownBy(() -> copy.getInt("d")).isInstanceOf(MessageFormatException.class);

        TributaryStreamMessage stream = new TributaryStreamMessage();
        stream.writeChar('z');
        stream.writeFloat(0.5f);
        TributaryStreamMessage streamCopy = new TributaryStreamMessage();
        streamCopy.decodeBody(stream.encodeBody());
        streamCopy.reset();
        assertThat(streamCopy.readChar()).isEqualTo('z');
        assertThat(streamCopy.readDouble()).isEqualTo(0.5d);
    }

    @Test
    void getBodyChecksTheType() throws JMSException {
        TributaryTextMessage text = new TributaryTextMessage();
        text.setText("t");
        assertThat(text.getBody(String.class)).isEqualTo("t");
        assertThatThrownBy(() -> text.getBody(Integer.class)).isInstanceOf(MessageFormatException.class);
        assertThat(new TributaryMessage().getBody(Object.class)).isNull();
    }
}
