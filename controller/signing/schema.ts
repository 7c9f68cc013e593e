// The as-run hash chain at the controller (chain.ts): each station's last link, the breaks found, and on
// the station's row a summary that /api/stations shows.
export const ASRUN_CHAIN = `
   CREATE TABLE asrun_chain_heads (
     station_id TEXT PRIMARY KEY REFERENCES stations(id) ON DELETE CASCADE,
     seq INTEGER NOT NULL,
     hash TEXT NOT NULL,
     record_id TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE TABLE asrun_chain_breaks (
     id INTEGER PRIMARY KEY,
     station_id TEXT NOT NULL REFERENCES stations(id) ON DELETE CASCADE,
     kind TEXT NOT NULL,
     seq INTEGER NOT NULL,
     missing_from INTEGER,
     missing_to INTEGER,
     record_ids TEXT NOT NULL,
     found_at TEXT NOT NULL
   );
   CREATE INDEX asrun_chain_breaks_station ON asrun_chain_breaks (station_id, id);
   ALTER TABLE stations ADD COLUMN asrun_chain_json TEXT;`;
