# gradjudge in one image: the API (`gradjudge serve`), the judge workers (`gradjudge worker`) and
# `gradjudge migrate`. See docker-compose.yml.
#
# The runtime stage is the official Go image, not a distroless one: the code judge builds each
# student's Go to WebAssembly with the go command (GOOS=wasip1 GOARCH=wasm, the standard library
# only, no network). The binary itself is built with cgo for the embedded SQLite driver, against
# the same Debian as the runtime.

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=1 go build -trimpath -o /out/gradjudge ./cmd/gradjudge

FROM golang:1.26
RUN useradd --create-home --uid 10001 gradjudge \
	&& mkdir -p /var/lib/gradjudge /var/cache/gradjudge \
	&& chown gradjudge:gradjudge /var/lib/gradjudge /var/cache/gradjudge
COPY --from=build /out/gradjudge /usr/local/bin/gradjudge
USER gradjudge
WORKDIR /home/gradjudge
# SQLite and the generated JWT secret when no PostgreSQL URL is given; the code judge's shared Go
# build cache (warmed at start: keep it on a volume so that restarts are quick).
ENV GRADJUDGE_DATA_DIR=/var/lib/gradjudge \
	GRADJUDGE_CODE_CACHE_DIR=/var/cache/gradjudge/gocache \
	GRADJUDGE_ADDR=:8080
VOLUME ["/var/lib/gradjudge", "/var/cache/gradjudge"]
EXPOSE 8080
ENTRYPOINT ["gradjudge"]
CMD ["serve"]
