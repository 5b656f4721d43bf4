# The clustersim image for sweeps on Kubernetes (deploy/sweep-job.yaml):
# a static binary on distroless/static, running as the nonroot user
# (65532). Build: docker build -t REGISTRY/clustersim:TAG .
# The image has no shell: scenarios that start an external policy process
# ([external] autoscalers) need an image of their own with that program.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/clustersim ./cmd/clustersim

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/clustersim /clustersim
USER 65532:65532
ENTRYPOINT ["/clustersim"]
