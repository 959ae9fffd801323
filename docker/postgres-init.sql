-- Runs once, on the first start of an empty data volume (docker-entrypoint-initdb.d).
-- Each service owns its own database; the services run their migrations at boot.
CREATE DATABASE vigil_health;
CREATE DATABASE vigil_audit;
CREATE DATABASE vigil_alerting;
CREATE DATABASE vigil_reporting;
CREATE DATABASE vigil_errors;
CREATE DATABASE vigil_console;
