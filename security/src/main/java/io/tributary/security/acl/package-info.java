/**
 * Access control with the semantics of Kafka's {@code StandardAuthorizer}: ACL bindings
 * ({@link io.tributary.security.acl.AclBinding}) on topics, groups, the cluster and transactional
 * ids, matched LITERAL, PREFIXED or by the {@code *} wildcard; deny wins over allow; super users;
 * {@code allow.everyone.if.no.acl.found}. The enums carry Kafka's wire codes so a protocol module
 * translates without a table. Bindings are kept durably by {@link io.tributary.security.acl.AclStore}.
 */
package io.tributary.security.acl;
