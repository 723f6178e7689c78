"""Source and as-of lines for every figure, read from the warehouse's ``sources`` catalogue."""

from __future__ import annotations

import duckdb


def catalogue(con: duckdb.DuckDBPyConnection) -> list[dict]:
    frame = con.execute("SELECT * FROM sources ORDER BY source_id").df()
    keep = [c for c in ("source_id", "title", "publisher", "licence", "years", "as_of", "imported_at")
            if c in frame.columns]
    return frame[keep].astype(object).where(frame[keep].notna(), None).to_dict("records")


def source_line(con: duckdb.DuckDBPyConnection, *tables: str) -> str:
    """'Source: <title> (<publisher>), as of <date>; ...' for the sources feeding the given tables."""
    ids: list[str] = []
    for table in tables:
        ids += [r[0] for r in con.execute(f'SELECT DISTINCT source_id FROM "{table}" ORDER BY 1').fetchall()]
    known = {entry["source_id"]: entry for entry in catalogue(con)}
    parts = []
    for source_id in dict.fromkeys(ids):
        entry = known.get(source_id, {})
        title = entry.get("title") or source_id
        publisher = f" ({entry['publisher']})" if entry.get("publisher") else ""
        parts.append(f"{title}{publisher} [{source_id}], as of {entry.get('as_of') or 'unknown'}")
    return "Source: " + "; ".join(parts) if parts else "Source: unknown"
