# Multi-stage build of the one skolflow binary; the same image runs `api`, `worker` and
# `migrate up` (see docker-compose.yml).
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/skolflow ./cmd/skolflow

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/skolflow /skolflow
ENV SKOLFLOW_HTTP_ADDR=0.0.0.0:8080
EXPOSE 8080
USER nonroot
ENTRYPOINT ["/skolflow"]
CMD ["api"]
