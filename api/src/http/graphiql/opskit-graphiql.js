// Starts GraphiQL against opskit's endpoint. Every request needs a token: the
// headers pane starts with `{"Authorization": "Bearer "}` to complete. The
// `query` and `headers` URL parameters, when given, fill the editors.
(function () {
  var element = document.getElementById('graphiql');
  var params = new URLSearchParams(window.location.search);
  var props = {
    fetcher: GraphiQL.createFetcher({ url: element.dataset.endpoint }),
    defaultHeaders: JSON.stringify({ Authorization: 'Bearer ' }, null, 2),
    defaultEditorToolsVisibility: 'headers',
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: false,
  };
  if (params.has('query')) props.query = params.get('query');
  if (params.has('headers')) props.headers = params.get('headers');
  ReactDOM.createRoot(element).render(React.createElement(GraphiQL, props));
})();
