# Habeas in a container: a static binary on a distroless base, as a user
# that is not root, its register on a volume. See docs/operations.md.
#
#   docker build -t habeas .
#   docker run -v habeas-data:/data -p 127.0.0.1:8080:8080 habeas
#
# The key file is made beside the data (/data/register.key) unless
# HABEAS_KEY_FILE points elsewhere: mount it from a secret in production.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -buildvcs=true -ldflags="-s -w" -o /habeas ./cmd/habeas

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /habeas /habeas
VOLUME ["/data"]
ENV HABEAS_DATA=/data/register \
    HABEAS_KEY_FILE=/data/register.key \
    HABEAS_LEDGER_KEY_FILE=/data/register.ledger.key
EXPOSE 8080
USER nonroot:nonroot
HEALTHCHECK NONE
ENTRYPOINT ["/habeas"]
CMD ["serve", "--init", "--addr", "0.0.0.0:8080"]
