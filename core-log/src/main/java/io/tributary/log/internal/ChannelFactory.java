package io.tributary.log.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens the read-write channels of segment and index files. The one place files are opened, so a
 * test can hand in channels that fail (for example with "no space left on device") on demand.
 */
@FunctionalInterface
interface ChannelFactory {

    /** Opens {@code path} for reading and writing, creating it if it does not exist. */
    FileChannel open(Path path) throws IOException;

    ChannelFactory DEFAULT = path -> FileChannel.open(path,
            StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
}
