package io.tributary.differential;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts one {@link BrokerPair} and one Admin per broker ({@link Differential#admins}) before the first test of a
 * class and closes them after its last: the admins first, then Kafka, then Tributary.
 *
 * <p>It sets the test class's static fields by type: every {@code static BrokerPair} field to the pair, every
 * {@code static Map<String, Admin>} field to the admins keyed by broker name; after the class they are reset to
 * {@code null} and an empty map. A class with neither field is a mistake and fails.
 */
public final class BrokerPairExtension implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(BrokerPairExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Class<?> testClass = context.getRequiredTestClass();
        List<Field> pairFields = staticFields(testClass, BrokerPair.class);
        List<Field> adminFields = staticFields(testClass, Map.class).stream().filter(BrokerPairExtension::isAdminMap).toList();
        if (pairFields.isEmpty() && adminFields.isEmpty()) {
            throw new ExtensionConfigurationException(testClass.getName()
                    + " has no static BrokerPair or Map<String, Admin> field for " + BrokerPairExtension.class.getSimpleName());
        }
        BrokerPair brokers = BrokerPair.start();
        Map<String, Admin> admins;
        try {
            admins = Differential.admins(brokers);
        } catch (RuntimeException e) {
            brokers.close();
            throw e;
        }
        context.getStore(NAMESPACE).put(BrokerPair.class, brokers);
        context.getStore(NAMESPACE).put(Admin.class, admins);
        set(pairFields, brokers);
        set(adminFields, admins);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void afterAll(ExtensionContext context) throws Exception {
        Class<?> testClass = context.getRequiredTestClass();
        BrokerPair brokers = context.getStore(NAMESPACE).remove(BrokerPair.class, BrokerPair.class);
        Map<String, Admin> admins = context.getStore(NAMESPACE).remove(Admin.class, Map.class);
        set(staticFields(testClass, BrokerPair.class), null);
        set(staticFields(testClass, Map.class).stream().filter(BrokerPairExtension::isAdminMap).toList(), Map.of());
        try {
            if (admins != null) {
                admins.values().forEach(Admin::close);
            }
        } finally {
            if (brokers != null) {
                brokers.close();
            }
        }
    }

    private static List<Field> staticFields(Class<?> testClass, Class<?> type) {
        List<Field> fields = new ArrayList<>();
        for (Class<?> c = testClass; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) && field.getType() == type) {
                    fields.add(field);
                }
            }
        }
        return fields;
    }

    private static boolean isAdminMap(Field field) {
        Type type = field.getGenericType();
        if (!(type instanceof ParameterizedType parameterized)) {
            return false;
        }
        Type[] args = parameterized.getActualTypeArguments();
        return args.length == 2 && args[0] == String.class && args[1] == Admin.class;
    }

    private static void set(List<Field> fields, Object value) throws IllegalAccessException {
        for (Field field : fields) {
            field.setAccessible(true);
            field.set(null, value);
        }
    }
}
