# Sourced by the scripts that start Kansoku and its services on loopback (tests, local cluster, benches).

# A loopback port free at the moment of asking.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
