package io.tributary.security.acl;

/**
 * Which bindings DescribeAcls lists and DeleteAcls removes, as Kafka's filters work: {@code null}
 * strings and the ANY enums match everything; pattern type MATCH matches the bindings that would
 * apply to the named resource (LITERAL by name, the LITERAL wildcard, and PREFIXED prefixes of it).
 */
public record AclFilter(ResourceType resourceType, String resourceName, PatternType patternType,
                        String principal, String host, Operation operation, Permission permission) {

    public boolean matches(AclBinding b) {
        if (resourceType != ResourceType.ANY && resourceType != b.resourceType()) {
            return false;
        }
        if (!nameMatches(b)) {
            return false;
        }
        return (principal == null || principal.equals(b.principal()))
                && (host == null || host.equals(b.host()))
                && (operation == Operation.ANY || operation == b.operation())
                && (permission == Permission.ANY || permission == b.permission());
    }

    private boolean nameMatches(AclBinding b) {
        return switch (patternType) {
            case ANY -> resourceName == null || resourceName.equals(b.resourceName());
            case MATCH -> resourceName == null || b.covers(b.resourceType(), resourceName);
            case LITERAL, PREFIXED -> patternType == b.patternType()
                    && (resourceName == null || resourceName.equals(b.resourceName()));
        };
    }
}
