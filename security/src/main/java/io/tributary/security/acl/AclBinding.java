package io.tributary.security.acl;

/**
 * One ACL: {@code principal} from {@code host} may (ALLOW) or may not (DENY) do {@code operation}
 * to the resources {@code resourceName} names under {@code patternType}. Principal {@code User:*}
 * and host {@code *} match everyone; resource name {@code *} (LITERAL) every resource of the type.
 */
public record AclBinding(ResourceType resourceType, String resourceName, PatternType patternType,
                         String principal, String host, Operation operation, Permission permission) {
    public static final String WILDCARD = "*";
    public static final String WILDCARD_PRINCIPAL = "User:*";

    /** Whether this binding's resource pattern covers resource {@code name} of {@code type}. */
    boolean covers(ResourceType type, String name) {
        if (type != resourceType) {
            return false;
        }
        return switch (patternType) {
            case LITERAL -> resourceName.equals(name) || resourceName.equals(WILDCARD);
            case PREFIXED -> name.startsWith(resourceName);
            default -> false;
        };
    }
}
