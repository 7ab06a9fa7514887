FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.lock .
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
RUN useradd --create-home navigator && mkdir -p /app/var && chown navigator /app/var
USER navigator
EXPOSE 8000
CMD ["gunicorn", "navigator.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
