//! `GET /engagements/{id}/reports/{file}`: the engagement's reports
//! (`handover.html`, `handover.pdf`, `readiness.svg`, `burndown.svg`,
//! `answers.csv`, `deviations.csv`, `raci.csv`, `activities.csv`,
//! `sessions.ics`), each with its media type and a file name. Same
//! authentication and access rules as GraphQL: a stranger gets 404, and so
//! does a file name that is not a report.

use actix_web::{HttpRequest, HttpResponse, web};

use super::{
    export::{caller_and_engagement, error_response},
    server::App,
};
use crate::{
    error::Error,
    reports::{self, Report},
};

/// One report of engagement `{id}` (its GraphQL ID).
pub async fn report(req: HttpRequest, path: web::Path<(String, String)>, app: web::Data<App>) -> HttpResponse {
    let (id, file) = path.into_inner();
    let Some(report) = Report::parse(&file) else {
        return error_response(Error::NotFound("report"));
    };
    let result = async {
        let (viewer, engagement) = caller_and_engagement(&req, &id, &app).await?;
        let host = req.connection_info().host().to_owned();
        reports::render(&app.db, &app.catalog.current(), &viewer, engagement, report, &host).await
    }
    .await;
    match result {
        Ok(body) => {
            let disposition = if report.inline() { "inline" } else { "attachment" };
            HttpResponse::Ok()
                .content_type(report.content_type())
                .insert_header(("content-disposition", format!("{disposition}; filename=\"{}\"", report.file_name())))
                .body(body)
        }
        Err(err) => error_response(err),
    }
}
