//! Small builders shared by the migrations.

use sea_orm_migration::prelude::*;

/// A 64-bit auto-incrementing primary key (SQLite's rowid, PostgreSQL's bigserial).
pub fn id<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name).big_integer().not_null().auto_increment().primary_key().take()
}

pub fn fk(
    table: impl IntoIden,
    col: impl IntoIden,
    to: impl IntoIden,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create().from_tbl(table).from_col(col).to_tbl(to).to_col(Alias::new("id")).on_delete(on_delete).take()
}

pub fn index(name: &str, table: impl IntoIden, cols: &[&str], unique: bool) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(name).table(table);
    for col in cols {
        stmt.col(Alias::new(*col));
    }
    if unique {
        stmt.unique();
    }
    stmt.take()
}
