# syntax=docker/dockerfile:1
# One image per service:  docker build --build-arg SERVICE=tickets -t ticketing-tickets .
# The web app:            docker build --target web -t ticketing-web .
# dev/ (the local stand-ins) never enters the build context but for its package.json,
# which npm needs to read the workspace lockfile (see .dockerignore).

FROM node:24-bookworm AS build
WORKDIR /src
COPY . .
RUN npm ci --no-audit --no-fund

FROM build AS service-build
ARG SERVICE
RUN test -n "$SERVICE" || (echo "build with --build-arg SERVICE=<name of a folder in services/>" && exit 1)
# One file holds the service and every package it uses (k8s/test/image-contents.test.ts lists them).
RUN npx tsx k8s/image/bundle-service.ts "$SERVICE" /out/dist/main.js \
 && printf '{"name":"ticketing-%s","private":true,"type":"module"}\n' "$SERVICE" > /out/package.json

FROM build AS web-build
RUN npm run build -w web

FROM nginxinc/nginx-unprivileged:1.28-alpine AS web
COPY k8s/image/nginx.conf /etc/nginx/conf.d/default.conf
COPY --from=web-build /src/web/dist /usr/share/nginx/html
USER 101
EXPOSE 8080

# Last, so that a build without --target gives a service image.
FROM node:24-bookworm-slim AS service
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
WORKDIR /app
COPY --from=service-build /out/ ./
# A numeric user lets Kubernetes verify runAsNonRoot.
USER 1000:1000
EXPOSE 3000
CMD ["node", "--enable-source-maps", "dist/main.js"]
