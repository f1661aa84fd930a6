# signpost in a container: a static binary on a distroless base, run as a
# non-root user. Build:  docker build -t signpost .
# Run (Socket Mode and the gateway need no inbound port):
#   docker run --env-file signpost.env -v signpost-state:/var/lib/signpost signpost
# The knowledge base is built into the binary; to edit it without a new
# image, mount a directory and set [knowledge] path.

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# CGO_ENABLED=0: a static binary, which needs no C library at run time.
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/signpost ./cmd/signpost \
 && mkdir -p /out/state

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/signpost /usr/local/bin/signpost
COPY deploy/config.toml /etc/signpost/config.toml
# /var/lib/signpost holds areas_file; mount a volume there to keep it.
COPY --from=build --chown=65532:65532 /out/state /var/lib/signpost
USER 65532:65532
EXPOSE 9090
# SIGTERM drains queued answers for [serve] shutdown_grace, then exits 0;
# give the container at least that long to stop (docker stop -t 15).
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/signpost"]
CMD ["serve", "--config", "/etc/signpost/config.toml"]
