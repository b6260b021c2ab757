/**
 * Limits against clients that would exhaust the broker: connection counts per IP and in total
 * ({@link io.tributary.security.limits.ConnectionQuota}).
 */
package io.tributary.security.limits;
