-- Tell the planner what hookscope_body_text() costs per row (detoasting a body and escaping up to
-- 8 KiB). At the default (100) it preferred walking an endpoint's newest captures and running the
-- function on each until a page of matches was found, which for a word in 1% of 100,000 bodies
-- meant about 12,600 calls (bench:search, EXPLAIN ANALYZE); priced realistically it takes the
-- trigram index for rare words and still walks the newest captures for common ones.
ALTER FUNCTION hookscope_body_text(bytea) COST 5000;
