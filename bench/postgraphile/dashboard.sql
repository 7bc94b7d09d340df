-- Q3 for PostGraphile: the per-site dashboard figures as a computed column (`Site.dashboard`),
-- PostGraphile's own way to expose an aggregate it cannot derive from the tables (persons have
-- no site_id, and zero-employment households need a per-household sum first). Same arithmetic
-- as our server (persistence::registry::site_stats) and the floor. bench/run applies it to the
-- benchmark database before PostGraphile starts; nothing of the project reads it.
DROP FUNCTION IF EXISTS site_dashboard(site);
DROP TYPE IF EXISTS bench_site_dashboard;
CREATE TYPE bench_site_dashboard AS (
    household_count int,
    population int,
    labour_force_count int,
    employed_count int,
    zero_employment_household_count int
);
CREATE FUNCTION site_dashboard(s site) RETURNS bench_site_dashboard
LANGUAGE sql STABLE AS $$
    SELECT count(*)::int,
           coalesce(sum(members), 0)::int,
           coalesce(sum(labour), 0)::int,
           coalesce(sum(employed), 0)::int,
           coalesce(sum(CASE WHEN labour > 0 AND employed = 0 THEN 1 ELSE 0 END), 0)::int
    FROM (SELECT count(p.id) AS members,
                 count(*) FILTER (WHERE p.labour_capacity IN ('full', 'partial')) AS labour,
                 count(*) FILTER (WHERE p.employment_status = 'employed') AS employed
          FROM household h
          LEFT JOIN person p ON p.household_id = h.id AND p.archived_at IS NULL
          WHERE h.site_id = s.id AND h.archived_at IS NULL
          GROUP BY h.id) per_household
$$;
