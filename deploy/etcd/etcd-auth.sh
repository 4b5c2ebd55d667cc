#!/bin/sh
# etcd users and roles of one Stratus cluster (etcdctl 3.4). Set ETCDCTL_ENDPOINTS (and the TLS
# variables) first. Once auth is enabled, later runs need ETCDCTL_USER=root and ETCDCTL_PASSWORD.
set -e
umask 077

# A random password per user, kept in its file (made only if missing): give each service its own.
[ -s /etc/stratus/etcd/root.password ] || openssl rand -base64 32 > /etc/stratus/etcd/root.password
[ -s /etc/stratus/etcd/stratus-frontend.password ] || openssl rand -base64 32 > /etc/stratus/etcd/stratus-frontend.password
[ -s /etc/stratus/etcd/stratus-node-worker-1.password ] || openssl rand -base64 32 > /etc/stratus/etcd/stratus-node-worker-1.password
[ -s /etc/stratus/etcd/stratus-node-worker-2.password ] || openssl rand -base64 32 > /etc/stratus/etcd/stratus-node-worker-2.password
[ -s /etc/stratus/etcd/stratus-node-worker-3.password ] || openssl rand -base64 32 > /etc/stratus/etcd/stratus-node-worker-3.password
[ -s /etc/stratus/etcd/stratus-billing.password ] || openssl rand -base64 32 > /etc/stratus/etcd/stratus-billing.password
[ -s /etc/stratus/etcd/stratus-admin.password ] || openssl rand -base64 32 > /etc/stratus/etcd/stratus-admin.password

# The superuser: etcd refuses to enable auth without it.
etcdctl user add root --interactive=false < /etc/stratus/etcd/root.password
etcdctl user grant-role root root

etcdctl role add stratus-frontend
etcdctl role grant-permission stratus-frontend --prefix=true readwrite /stratus/functions/
etcdctl role grant-permission stratus-frontend --prefix=true readwrite /stratus/versions/
etcdctl role grant-permission stratus-frontend --prefix=true readwrite /stratus/aliases/
etcdctl role grant-permission stratus-frontend --prefix=true readwrite /stratus/version-counters/
etcdctl role grant-permission stratus-frontend --prefix=true readwrite /stratus/api-keys/
etcdctl role grant-permission stratus-frontend --prefix=true readwrite /stratus/frontends/
etcdctl role grant-permission stratus-frontend --prefix=true readwrite /stratus/schedules/
etcdctl role grant-permission stratus-frontend --prefix=true readwrite /stratus/event-source-mappings/
etcdctl role grant-permission stratus-frontend --prefix=true read /stratus/nodes/
etcdctl role add stratus-nodes
etcdctl role grant-permission stratus-nodes --prefix=true read /stratus/functions/
etcdctl role grant-permission stratus-nodes --prefix=true read /stratus/versions/
etcdctl role grant-permission stratus-nodes --prefix=true read /stratus/aliases/
etcdctl role grant-permission stratus-nodes --prefix=true read /stratus/nodes/
etcdctl role add stratus-node-worker-1
etcdctl role grant-permission stratus-node-worker-1 readwrite /stratus/nodes/worker-1
etcdctl role add stratus-node-worker-2
etcdctl role grant-permission stratus-node-worker-2 readwrite /stratus/nodes/worker-2
etcdctl role add stratus-node-worker-3
etcdctl role grant-permission stratus-node-worker-3 readwrite /stratus/nodes/worker-3
etcdctl role add stratus-billing
etcdctl role grant-permission stratus-billing --prefix=true read /stratus/functions/
etcdctl role grant-permission stratus-billing --prefix=true read /stratus/nodes/
etcdctl role add stratus-admin
etcdctl role grant-permission stratus-admin --prefix=true readwrite /stratus/

etcdctl user add stratus-frontend --interactive=false < /etc/stratus/etcd/stratus-frontend.password
etcdctl user grant-role stratus-frontend stratus-frontend
etcdctl user add stratus-node-worker-1 --interactive=false < /etc/stratus/etcd/stratus-node-worker-1.password
etcdctl user grant-role stratus-node-worker-1 stratus-nodes
etcdctl user grant-role stratus-node-worker-1 stratus-node-worker-1
etcdctl user add stratus-node-worker-2 --interactive=false < /etc/stratus/etcd/stratus-node-worker-2.password
etcdctl user grant-role stratus-node-worker-2 stratus-nodes
etcdctl user grant-role stratus-node-worker-2 stratus-node-worker-2
etcdctl user add stratus-node-worker-3 --interactive=false < /etc/stratus/etcd/stratus-node-worker-3.password
etcdctl user grant-role stratus-node-worker-3 stratus-nodes
etcdctl user grant-role stratus-node-worker-3 stratus-node-worker-3
etcdctl user add stratus-billing --interactive=false < /etc/stratus/etcd/stratus-billing.password
etcdctl user grant-role stratus-billing stratus-billing
etcdctl user add stratus-admin --interactive=false < /etc/stratus/etcd/stratus-admin.password
etcdctl user grant-role stratus-admin stratus-admin

etcdctl auth enable
