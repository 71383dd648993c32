// The path the OpenID Provider is served under; the issuer is PUBLIC_URL + this. In a module of
// its own so that the routes can name it without loading oidc-provider (issue 13).
export const oidcMount = '/oidc';
