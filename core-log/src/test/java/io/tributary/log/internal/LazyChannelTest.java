package io.tributary.log.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(5)
class LazyChannelTest {
    @TempDir
    Path dir;

    /** Every path the channel opened, in order. */
    private final List<Path> opened = new ArrayList<>();
    private final ChannelFactory files = path -> {
        opened.add(path);
        return ChannelFactory.DEFAULT.open(path);
    };

    @Test
    void nothingIsOpenedUntilTheFirstUseAndAReleasedChannelOpensAgainOnTheNext() throws IOException {
        // Given a lazy channel over a file with content
        Path path = dir.resolve("a.index");
        Files.write(path, new byte[] {1, 2, 3, 4});
        try (LazyChannel channel = new LazyChannel(path, files)) {
            assertThat(channel.isOpen()).isFalse();
            long size = channel.apply(c -> c.size());
            assertThat(size).isEqualTo(4);
            assertThat(channel.isOpen()).isTrue();

            // When it is released, then used again
            channel.release();
            assertThat(channel.isOpen()).isFalse();
            ByteBuffer read = ByteBuffer.allocate(4);
            channel.apply(c -> c.read(read, 0));

            // Then the second use opened the file again and read what it holds
            assertThat(read.array()).containsExactly(1, 2, 3, 4);
            assertThat(opened).containsExactly(path, path);
        }
    }

    @Test
    void aFileRenamedWhileReleasedIsOpenedUnderItsNewName() throws IOException {
        // Given a released channel over a file with content
        Path path = dir.resolve("b.index");
        Files.write(path, new byte[] {7});
        try (LazyChannel channel = new LazyChannel(path, files)) {
            Path renamed = dir.resolve("b.index.deleted");

            // When the file is renamed, then used
            channel.renameTo(renamed);
            long size = channel.apply(c -> c.size());

            // Then the use found the content under the new name and created nothing under the old one
            assertThat(size).isEqualTo(1);
            assertThat(opened).containsExactly(renamed);
            assertThat(channel.path()).isEqualTo(renamed);
            assertThat(path).doesNotExist();
        }
    }

    @Test
    void aClosedChannelRefusesUsesInsteadOfCreatingTheFile() throws IOException {
        // Given a channel closed for good, whose file is then deleted
        Path path = dir.resolve("c.index");
        LazyChannel channel = new LazyChannel(path, files);
        channel.apply(c -> c.size());
        channel.close();
        Files.delete(path);

        // When it is used, Then it throws and the file stays gone
        assertThatThrownBy(() -> channel.apply(c -> c.size())).isInstanceOf(ClosedChannelException.class);
        assertThat(path).doesNotExist();
    }

    @Test
    void aChannelClosedByAnInterruptedUseIsOpenedAgainByTheNextOne() throws IOException {
        // Given a use made by an interrupted thread, which closes the channel for every thread
        Path path = dir.resolve("d.index");
        try (LazyChannel channel = new LazyChannel(path, files)) {
            Thread.currentThread().interrupt();
            try {
                assertThatThrownBy(() -> channel.apply(c -> c.write(ByteBuffer.wrap(new byte[] {9}), 0)))
                        .isInstanceOf(ClosedByInterruptException.class);
            } finally {
                Thread.interrupted();
            }

            // When the channel is used again
            int written = channel.apply(c -> c.write(ByteBuffer.wrap(new byte[] {5}), 0));

            // Then the use opened the file again and worked
            assertThat(written).isEqualTo(1);
            assertThat(Files.readAllBytes(path)).containsExactly(5);
            assertThat(opened).hasSize(2);
        }
    }
}
