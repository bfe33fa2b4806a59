// The API reference: Swagger UI (served by this app from npm's swagger-ui-dist) over the app's own document.
// Requests made from it carry the signed-in person's token from this tab's session storage, if any.
window.addEventListener('DOMContentLoaded', () => {
  const token = sessionStorage.getItem('supervision.token');
  window.SwaggerUIBundle({
    url: '/api/openapi.json',
    dom_id: '#reference',
    deepLinking: true,
    requestInterceptor: (request) => {
      if (token) request.headers.Authorization = 'Bearer ' + token;
      return request;
    },
  });
});
