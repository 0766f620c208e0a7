{{/* Name prefix of the chart's own objects (Secret, ConfigMap, Ingresses). */}}
{{- define "ticketing.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "ticketing.secretName" -}}
{{- printf "%s-secrets" (include "ticketing.fullname" .) -}}
{{- end -}}

{{- define "ticketing.ketoNamespacesName" -}}
{{- printf "%s-keto-namespaces" (include "ticketing.fullname" .) -}}
{{- end -}}

{{/* Labels on every object; pass a dict with root and component. */}}
{{- define "ticketing.labels" -}}
app.kubernetes.io/name: {{ .component }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/part-of: ticketing
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end -}}

{{- define "ticketing.selectorLabels" -}}
app.kubernetes.io/name: {{ .component }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{/* A service's settings: serviceDefaults overlaid with its own entry. Pass a dict with root and name. */}}
{{- define "ticketing.serviceConfig" -}}
{{- $own := index .root.Values.services .name | default dict -}}
{{- toYaml (mergeOverwrite (deepCopy .root.Values.serviceDefaults) (deepCopy $own)) -}}
{{- end -}}

{{/* Image reference; pass a dict with root and repository (a service may set image.repository and image.tag). */}}
{{- define "ticketing.image" -}}
{{- $img := .image | default dict -}}
{{- $repository := $img.repository | default (printf "%s%s" .root.Values.image.registry .repository) -}}
{{- printf "%s:%s" $repository (toString ($img.tag | default .root.Values.image.tag)) -}}
{{- end -}}

{{/* Every app-id, in a stable order. */}}
{{- define "ticketing.appIds" -}}
{{- toJson (keys .Values.services | sortAlpha) -}}
{{- end -}}

{{/* Annotations that turn Dapr resources into pre-install hooks (see dapr.asHooks). */}}
{{- define "ticketing.daprHook" -}}
{{- if .Values.dapr.asHooks -}}
annotations:
  helm.sh/hook: pre-install,pre-upgrade
  helm.sh/hook-weight: "-5"
  helm.sh/hook-delete-policy: before-hook-creation
{{- end -}}
{{- end -}}

{{/* Pod and container security settings shared by every workload. */}}
{{- define "ticketing.containerSecurity" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: [ALL]
{{- end -}}
