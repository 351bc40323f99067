-- Partition a libcbc PostgreSQL database's tenant tables by their tenant
-- (docs/scale-out.md, "Sharding by enterprise").
--
-- Run it with the libcbc schema first on the search path, then call
--     SELECT cbc_partition_by_tenant(8);
-- to turn each tenant table (the rows of one enterprise: hazards and their
-- history, activities, awards, fines, penalties, filings, history chains,
-- participation and counters) into a table hash-partitioned by its tenant
-- column into that many partitions, its rows, keys, indexes, references,
-- rules and id sequence kept.  It runs
-- in the caller's transaction: all of it happens or none.  No libcbc
-- handle may have the database open meanwhile (the tables are replaced).
--
-- PostgreSQL refuses a partitioned table whose primary key or unique
-- constraint lacks the partition column, as Citus refuses a distributed
-- one: that the conversion succeeds is the check that the schema is ready
-- to be sharded by tenant.  The test suites run on a database converted by
-- this script (scripts/test-all, CBC_TEST_PG_PARTITIONS).

CREATE OR REPLACE FUNCTION cbc_partition_by_tenant(partitions integer)
RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
  tenant_tables CONSTANT text[][] := ARRAY[
    ['hazards', 'enterprise_id'], ['hazard_events', 'enterprise_id'],
    ['hazard_attachments', 'enterprise_id'], ['overdue_escalations', 'enterprise_id'],
    ['trainings', 'enterprise_id'], ['training_attendees', 'enterprise_id'],
    ['voided_training_attendees', 'enterprise_id'], ['drills', 'enterprise_id'],
    ['drill_teams', 'enterprise_id'], ['voided_drill_teams', 'enterprise_id'],
    ['visits', 'enterprise_id'], ['proposals', 'enterprise_id'],
    ['awards', 'enterprise_id'], ['fines', 'enterprise_id'],
    ['participation', 'unit_id'], ['stat_months', 'unit_id'], ['stat_active', 'unit_id'],
    ['filings', 'enterprise_id'], ['history_chain', 'enterprise_id'],
    ['penalties', 'enterprise_id']];
  ns CONSTANT oid := current_schema()::regnamespace;
  names text[] := ARRAY[]::text[];
  rel oid;
  name text;
  tenant text;
  saved text[];
  later text[] := ARRAY[]::text[]; -- references, restored once every table is done
  stmt text;
  seq text;
  top bigint;
  called boolean;
BEGIN
  IF partitions IS NULL OR partitions < 1 THEN
    RAISE EXCEPTION 'cbc_partition_by_tenant: partitions must be at least 1';
  END IF;
  FOR i IN 1 .. array_length(tenant_tables, 1) LOOP
    names := names || tenant_tables[i][1];
  END LOOP;
  -- every reference to or from a tenant table, to be made again
  FOR stmt IN
    SELECT format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname,
                  pg_get_constraintdef(c.oid))
    FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
    LEFT JOIN pg_class r ON r.oid = c.confrelid
    WHERE c.contype = 'f' AND t.relnamespace = ns
      AND (t.relname = ANY(names) OR r.relname = ANY(names))
  LOOP
    later := later || stmt;
  END LOOP;
  FOR stmt IN
    SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname)
    FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
    LEFT JOIN pg_class r ON r.oid = c.confrelid
    WHERE c.contype = 'f' AND t.relnamespace = ns
      AND (t.relname = ANY(names) OR r.relname = ANY(names))
  LOOP
    EXECUTE stmt;
  END LOOP;

  FOR i IN 1 .. array_length(tenant_tables, 1) LOOP
    name := tenant_tables[i][1];
    tenant := tenant_tables[i][2];
    SELECT oid INTO rel FROM pg_class WHERE relname = name AND relnamespace = ns;
    IF rel IS NULL THEN
      RAISE EXCEPTION 'cbc_partition_by_tenant: no table %', name;
    END IF;
    IF (SELECT relkind FROM pg_class WHERE oid = rel) = 'p' THEN
      CONTINUE; -- partitioned already
    END IF;
    -- its keys, its other indexes and its rules, by name
    saved := ARRAY[]::text[];
    FOR stmt IN
      SELECT format('ALTER TABLE %I ADD CONSTRAINT %I %s', name, conname,
                    pg_get_constraintdef(oid))
      FROM pg_constraint WHERE conrelid = rel AND contype IN ('p', 'u') ORDER BY contype
    LOOP
      saved := saved || stmt;
    END LOOP;
    FOR stmt IN
      SELECT pg_get_indexdef(x.indexrelid) FROM pg_index x
      WHERE x.indrelid = rel
        AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = x.indexrelid)
    LOOP
      saved := saved || stmt;
    END LOOP;
    FOR stmt IN
      SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = rel AND NOT tgisinternal
    LOOP
      saved := saved || stmt;
    END LOOP;
    seq := NULL;
    top := NULL;
    IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = rel AND attname = 'id'
               AND NOT attisdropped) THEN
      seq := pg_get_serial_sequence(quote_ident(name), 'id');
    END IF;
    IF seq IS NOT NULL THEN
      EXECUTE format('SELECT last_value, is_called FROM %s', seq) INTO top, called;
    END IF;

    EXECUTE format('ALTER TABLE %I RENAME TO %I', name, name || '_unpartitioned');
    EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS'
                   ' INCLUDING IDENTITY INCLUDING GENERATED INCLUDING STORAGE)'
                   ' PARTITION BY HASH (%I)', name, name || '_unpartitioned', tenant);
    FOR p IN 0 .. partitions - 1 LOOP
      EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES WITH (MODULUS %s, REMAINDER %s)',
                     name || '_p' || p, name, partitions, p);
    END LOOP;
    EXECUTE format('INSERT INTO %I SELECT * FROM %I', name, name || '_unpartitioned');
    EXECUTE format('DROP TABLE %I', name || '_unpartitioned');
    FOREACH stmt IN ARRAY saved LOOP
      EXECUTE stmt;
    END LOOP;
    IF top IS NOT NULL THEN -- ids go on from where they were
      PERFORM setval(pg_get_serial_sequence(quote_ident(name), 'id'), top, called);
    END IF;
  END LOOP;

  FOREACH stmt IN ARRAY later LOOP
    EXECUTE stmt;
  END LOOP;
END
$fn$;
