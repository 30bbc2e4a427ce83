package dev.roster.auditor.chain;

import io.agroal.api.AgroalDataSource;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Says at start-up when the service's own database user could rewrite the log (a superuser, the
 * tables' owner, or a role with UPDATE/DELETE): then only the external anchor protects the chain.
 */
@ApplicationScoped
public class RuntimeRoleCheck {
  private final AgroalDataSource dataSource;

  public RuntimeRoleCheck(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  void check(@Observes StartupEvent event) {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT current_user, r.rolsuper,"
                    + " pg_get_userbyid(t.relowner) = current_user,"
                    + " has_table_privilege('audit_log', 'UPDATE')"
                    + " OR has_table_privilege('audit_log', 'DELETE')"
                    + " OR has_table_privilege('chain_head', 'UPDATE')"
                    + " OR has_table_privilege('chain_head', 'DELETE')"
                    + " FROM pg_roles r, pg_class t"
                    + " WHERE r.rolname = current_user AND t.relname = 'audit_log'")) {
      if (rs.next() && (rs.getBoolean(2) || rs.getBoolean(3) || rs.getBoolean(4))) {
        Log.warnf(
            "the auditor connects to the database as %s, which can rewrite the audit log (superuser,"
                + " owner or UPDATE/DELETE): run the service as a role with SELECT and INSERT only"
                + " and the migrations as the owner (see README, Grants)",
            rs.getString(1));
      }
    } catch (SQLException e) {
      Log.warnf("cannot check the database role's privileges: %s", e.getMessage());
    }
  }
}
