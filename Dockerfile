# voc-stream worker image: docker build -t voc-stream . && docker run voc-stream worker
FROM python:3.11-slim AS build

ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY voc_stream ./voc_stream
COPY topologies ./topologies
RUN python -m venv /opt/venv && /opt/venv/bin/pip install .

FROM python:3.11-slim

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    VOC_CONFIG_DIR=/app/config \
    VOC_DATA_DIR=/app/data \
    VOC_WEB_PORT=6066
RUN groupadd --system --gid 10001 voc \
    && useradd --system --uid 10001 --gid voc --home-dir /app --shell /usr/sbin/nologin voc
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY config /app/config
RUN mkdir -p /app/data && chown -R voc:voc /app/data
USER 10001:10001

EXPOSE 6066
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=4 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('VOC_WEB_PORT', '6066'), timeout=3)"]
ENTRYPOINT ["voc-stream"]
CMD ["worker"]
