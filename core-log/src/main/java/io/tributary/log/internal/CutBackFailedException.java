package io.tributary.log.internal;

import java.io.IOException;

/**
 * Thrown by {@link LogSegment#append} when its write failed and cutting the files back to where
 * they were failed too, so the segment's tail past its published size is unknown. The cause is the
 * write's failure; the cut-back's failure is suppressed in this exception.
 */
final class CutBackFailedException extends IOException {
    private static final long serialVersionUID = 1L;

    CutBackFailedException(IOException write, IOException cutBack) {
        super("the write failed (" + write + ") and so did cutting the files back (" + cutBack + ")", write);
        addSuppressed(cutBack);
    }
}
