package io.stratadb.sql.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.HandlerWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP basic authentication in front of the Avatica handler: a request without valid credentials gets 401
 * with an empty body and never reaches the database.
 *
 * <p>Invariants: (1) only requests whose {@code Authorization} header names a user of the {@link UserFile}
 * with the right password pass; (2) a refused request learns nothing but the 401 status and the realm; (3)
 * successful credentials are remembered by their SHA-256 digest (never in clear) so PBKDF2 runs once per
 * distinct credential, not per request.
 *
 * <p>Thread safety: thread-safe.
 */
final class BasicAuthHandler extends HandlerWrapper {
    private static final Logger LOG = LoggerFactory.getLogger(BasicAuthHandler.class);
    static final String REALM = "StrataDB";

    private final UserFile users;
    private final Set<String> verified = ConcurrentHashMap.newKeySet();

    BasicAuthHandler(UserFile users) {
        this.users = users;
    }

    @Override
    public void handle(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        String header = request.getHeader("Authorization");
        if (header == null || !authorized(header)) {
            baseRequest.setHandled(true);
            response.setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            response.setContentLength(0);
            LOG.debug("refused unauthenticated request from {}", request.getRemoteAddr());
            return;
        }
        super.handle(target, baseRequest, request, response);
    }

    private boolean authorized(String header) {
        if (!header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String digest = digest(header);
        if (verified.contains(digest)) {
            return true;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return false;
        }
        boolean ok = users.check(
                decoded.substring(0, colon), decoded.substring(colon + 1).toCharArray());
        if (ok) {
            verified.add(digest);
        }
        return ok;
    }

    private static String digest(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
