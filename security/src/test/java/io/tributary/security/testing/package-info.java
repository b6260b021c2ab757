/** Test support shared with other modules' tests (the test jar): certificates made fresh per test. */
package io.tributary.security.testing;
