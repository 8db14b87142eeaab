//! GraphiQL at `/graphiql`, served from inside the binary: the page, our
//! start-up script and the vendored builds of graphiql, react and react-dom
//! (`api/assets/graphiql/`, refreshed by `scripts/vendor-graphiql.sh`), so it
//! works on networks without internet access. The page is static; every
//! request it sends needs a token, and its headers pane starts with
//! `{"Authorization": "Bearer "}`.

use actix_web::{HttpResponse, http::header, web};

const PAGE: &str = include_str!("graphiql/page.html");

const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

/// Every asset: its name under `/graphiql/assets/`, media type and bytes.
const ASSETS: [(&str, &str, &[u8]); 5] = [
    ("graphiql.min.js", JS, include_bytes!("../../assets/graphiql/graphiql.min.js")),
    ("graphiql.min.css", CSS, include_bytes!("../../assets/graphiql/graphiql.min.css")),
    ("react.production.min.js", JS, include_bytes!("../../assets/graphiql/react.production.min.js")),
    ("react-dom.production.min.js", JS, include_bytes!("../../assets/graphiql/react-dom.production.min.js")),
    ("opskit-graphiql.js", JS, include_bytes!("graphiql/opskit-graphiql.js")),
];

/// The page.
pub async fn page() -> HttpResponse {
    HttpResponse::Ok().content_type("text/html; charset=utf-8").body(PAGE)
}

/// One of the page's assets; they change only with the binary, so browsers may keep them a day.
pub async fn asset(name: web::Path<String>) -> HttpResponse {
    match ASSETS.iter().find(|(n, _, _)| *n == name.as_str()) {
        Some((_, media_type, bytes)) => HttpResponse::Ok()
            .content_type(*media_type)
            .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
            .body(*bytes),
        None => HttpResponse::NotFound().content_type("text/plain").body("no such asset\n"),
    }
}
