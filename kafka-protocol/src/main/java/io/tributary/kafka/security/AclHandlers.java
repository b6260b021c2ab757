package io.tributary.kafka.security;

import io.tributary.kafka.api.ApiHandler;
import io.tributary.security.acl.AclBinding;
import io.tributary.security.acl.AclFilter;
import io.tributary.security.acl.Authorizer;
import io.tributary.security.acl.Operation;
import io.tributary.security.acl.PatternType;
import io.tributary.security.acl.Permission;
import io.tributary.security.acl.ResourceType;
import org.apache.kafka.common.message.CreateAclsRequestData;
import org.apache.kafka.common.message.CreateAclsResponseData;
import org.apache.kafka.common.message.DeleteAclsRequestData;
import org.apache.kafka.common.message.DeleteAclsResponseData;
import org.apache.kafka.common.message.DescribeAclsRequestData;
import org.apache.kafka.common.message.DescribeAclsResponseData;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * CreateAcls, DescribeAcls and DeleteAcls over the {@link Authorizer}, what {@code kafka-acls} and
 * {@code Admin.createAcls/describeAcls/deleteAcls} send. Without an authorizer configured they
 * answer SECURITY_DISABLED, as Kafka does. Changes are written on the admin thread.
 */
final class AclHandlers {
    private static final String DISABLED = "No Authorizer is configured.";

    private AclHandlers() {
    }

    static ApiHandler create(Authorizer authorizer, Executor admin) {
        return context -> {
            CreateAclsRequestData request = (CreateAclsRequestData) context.request().body();
            List<CreateAclsResponseData.AclCreationResult> results = new ArrayList<>();
            if (authorizer == null) {
                request.creations().forEach(c -> results.add(new CreateAclsResponseData.AclCreationResult()
                        .setErrorCode(Errors.SECURITY_DISABLED.code()).setErrorMessage(DISABLED)));
                context.respond(new CreateAclsResponseData().setResults(results));
                return;
            }
            admin.execute(() -> {
                List<AclBinding> valid = new ArrayList<>();
                for (CreateAclsRequestData.AclCreation c : request.creations()) {
                    String invalid = invalid(c);
                    CreateAclsResponseData.AclCreationResult result = new CreateAclsResponseData.AclCreationResult();
                    if (invalid != null) {
                        result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage(invalid);
                    } else {
                        valid.add(new AclBinding(ResourceType.of(c.resourceType()), c.resourceName(),
                                PatternType.of(c.resourcePatternType()), c.principal(), c.host(),
                                Operation.of(c.operation()), Permission.of(c.permissionType())));
                    }
                    results.add(result);
                }
                try {
                    authorizer.create(valid);
                } catch (RuntimeException e) {
                    results.forEach(r -> {
                        if (r.errorCode() == Errors.NONE.code()) {
                            r.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code()).setErrorMessage(e.getMessage());
                        }
                    });
                }
                context.respond(new CreateAclsResponseData().setResults(results));
            });
        };
    }

    /** Kafka's checks of a new binding, or {@code null} if it is valid. */
    private static String invalid(CreateAclsRequestData.AclCreation c) {
        ResourceType type = ResourceType.of(c.resourceType());
        PatternType pattern = PatternType.of(c.resourcePatternType());
        Operation operation = Operation.of(c.operation());
        Permission permission = Permission.of(c.permissionType());
        if (type == null || type == ResourceType.ANY || pattern == null || pattern == PatternType.ANY
                || pattern == PatternType.MATCH || operation == null || operation == Operation.ANY
                || permission == null || permission == Permission.ANY) {
            return "Invalid ACL binding: unknown or ANY resource type, pattern type, operation or permission";
        }
        if (c.resourceName() == null || c.resourceName().isEmpty()) {
            return "Invalid ACL binding: empty resource name";
        }
        if (type == ResourceType.CLUSTER && !c.resourceName().equals(ResourceType.CLUSTER_NAME)) {
            return "The only valid name for the CLUSTER resource is " + ResourceType.CLUSTER_NAME;
        }
        if (c.principal() == null || !c.principal().contains(":")) {
            return "Could not parse principal from `" + c.principal() + "` (no colon is present separating the "
                    + "principal type from the principal name)";
        }
        return null;
    }

    static ApiHandler describe(Authorizer authorizer) {
        return context -> {
            DescribeAclsRequestData request = (DescribeAclsRequestData) context.request().body();
            if (authorizer == null) {
                context.respond(new DescribeAclsResponseData().setErrorCode(Errors.SECURITY_DISABLED.code())
                        .setErrorMessage(DISABLED));
                return;
            }
            AclFilter filter = filter(request.resourceTypeFilter(), request.resourceNameFilter(),
                    request.patternTypeFilter(), request.principalFilter(), request.hostFilter(),
                    request.operation(), request.permissionType());
            if (filter == null) {
                context.respond(new DescribeAclsResponseData().setErrorCode(Errors.INVALID_REQUEST.code())
                        .setErrorMessage("Invalid ACL filter"));
                return;
            }
            Map<List<Object>, DescribeAclsResponseData.DescribeAclsResource> resources = new LinkedHashMap<>();
            for (AclBinding b : authorizer.describe(filter)) {
                resources.computeIfAbsent(List.of(b.resourceType(), b.resourceName(), b.patternType()),
                        k -> new DescribeAclsResponseData.DescribeAclsResource().setResourceType(b.resourceType().code())
                                .setResourceName(b.resourceName()).setPatternType(b.patternType().code()))
                        .acls().add(new DescribeAclsResponseData.AclDescription().setPrincipal(b.principal())
                                .setHost(b.host()).setOperation(b.operation().code())
                                .setPermissionType(b.permission().code()));
            }
            context.respond(new DescribeAclsResponseData().setResources(new ArrayList<>(resources.values())));
        };
    }

    static ApiHandler delete(Authorizer authorizer, Executor admin) {
        return context -> {
            DeleteAclsRequestData request = (DeleteAclsRequestData) context.request().body();
            List<DeleteAclsResponseData.DeleteAclsFilterResult> results = new ArrayList<>();
            if (authorizer == null) {
                request.filters().forEach(f -> results.add(new DeleteAclsResponseData.DeleteAclsFilterResult()
                        .setErrorCode(Errors.SECURITY_DISABLED.code()).setErrorMessage(DISABLED)));
                context.respond(new DeleteAclsResponseData().setFilterResults(results));
                return;
            }
            admin.execute(() -> {
                List<AclFilter> filters = new ArrayList<>();
                for (DeleteAclsRequestData.DeleteAclsFilter f : request.filters()) {
                    filters.add(filter(f.resourceTypeFilter(), f.resourceNameFilter(), f.patternTypeFilter(),
                            f.principalFilter(), f.hostFilter(), f.operation(), f.permissionType()));
                }
                List<List<AclBinding>> removed;
                try {
                    removed = authorizer.delete(filters.stream().filter(java.util.Objects::nonNull).toList());
                } catch (RuntimeException e) {
                    filters.forEach(f -> results.add(new DeleteAclsResponseData.DeleteAclsFilterResult()
                            .setErrorCode(Errors.KAFKA_STORAGE_ERROR.code()).setErrorMessage(e.getMessage())));
                    context.respond(new DeleteAclsResponseData().setFilterResults(results));
                    return;
                }
                int next = 0;
                for (AclFilter f : filters) {
                    DeleteAclsResponseData.DeleteAclsFilterResult result = new DeleteAclsResponseData.DeleteAclsFilterResult();
                    if (f == null) {
                        result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage("Invalid ACL filter");
                    } else {
                        for (AclBinding b : removed.get(next++)) {
                            result.matchingAcls().add(new DeleteAclsResponseData.DeleteAclsMatchingAcl()
                                    .setResourceType(b.resourceType().code()).setResourceName(b.resourceName())
                                    .setPatternType(b.patternType().code()).setPrincipal(b.principal())
                                    .setHost(b.host()).setOperation(b.operation().code())
                                    .setPermissionType(b.permission().code()));
                        }
                    }
                    results.add(result);
                }
                context.respond(new DeleteAclsResponseData().setFilterResults(results));
            });
        };
    }

    /** The filter, or {@code null} if a code is unknown. */
    private static AclFilter filter(byte type, String name, byte pattern, String principal, String host,
                                    byte operation, byte permission) {
        ResourceType t = ResourceType.of(type);
        PatternType p = PatternType.of(pattern);
        Operation o = Operation.of(operation);
        Permission m = Permission.of(permission);
        if (t == null || p == null || o == null || m == null) {
            return null;
        }
        return new AclFilter(t, name, p, principal, host, o, m);
    }
}
