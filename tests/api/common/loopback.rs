//! Small HTTP servers on loopback that stand in for the outside world: a
//! tracker, a trace collector. Each answers every request with a closure.

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, dev::ServerHandle, web};

/// A server on `127.0.0.1`, stopped when dropped.
pub struct Loopback {
    pub base: String,
    handle: ServerHandle,
}

impl Loopback {
    /// Serves every request (any method, any path) with `answer`.
    pub fn start<F>(answer: F) -> Self
    where
        F: Fn(&HttpRequest, &[u8]) -> HttpResponse + Clone + Send + 'static,
    {
        let server = HttpServer::new(move || {
            let answer = answer.clone();
            App::new().default_service(web::to(move |req: HttpRequest, body: web::Bytes| {
                let response = answer(&req, &body);
                async move { response }
            }))
        })
        .workers(1)
        .bind("127.0.0.1:0")
        .unwrap();
        let base = format!("http://{}", server.addrs()[0]);
        let server = server.run();
        let handle = server.handle();
        tokio::spawn(server);
        Self { base, handle }
    }
}

impl Drop for Loopback {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
    }
}
