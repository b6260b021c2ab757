package io.tributary.log.internal;

import java.time.Clock;

/**
 * What every partition of one log manager shares: how files are opened, the clock (injected in
 * tests for age-based roll and retention), and where retired segments go to be deleted later.
 */
record LogServices(ChannelFactory files, Clock clock, SegmentReaper reaper) {
}
