/** A Cloudflare interstitial page as upstreams served it; carries g4f's detection markers. */
export const challengePage = `<!DOCTYPE html>
<html lang="en-US">
<head>
<title>Just a moment...</title>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
</head>
<body>
<div id="cf-please-wait"><p id="cf-spinner-please-wait">Checking your browser before accessing the site.</p></div>
</body>
</html>
`;

/** A generic HTML error page that is not a bot check. */
export const htmlErrorPage = `<!DOCTYPE html>
<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>
`;
